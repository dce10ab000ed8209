package stogger.postgres.internal.loss;

import java.util.concurrent.atomic.LongAdder;

/** The handler's counts of written, dropped and failed records; thread-safe. */
public final class Counters {

    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public void written(long n) {
        written.add(n);
    }

    public void dropped(long n) {
        dropped.add(n);
    }

    public void failed(long n) {
        failed.add(n);
    }

    public long written() {
        return written.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long failed() {
        return failed.sum();
    }
}
