package stogger.postgres.internal.write;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The async writer's progress as {@code flush()} sees it: rows accepted into the queue by callers,
 * rows resolved by the writer (written, spooled or counted as lost), and the flushes waiting for
 * the second count to reach what the first was when they began. Thread-safe.
 */
final class FlushBarrier {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object monitor = new Object();

    /** A caller's row went into the queue. */
    void accepted() {
        accepted.incrementAndGet();
    }

    /** The writer resolved {@code rows} rows; waiting flushes look again. */
    void completed(int rows) {
        completed.addAndGet(rows);
        if (waiters.get() > 0) {
            releaseAll();
        }
    }

    /** Rows accepted and not resolved yet. */
    long queued() {
        return Math.max(0, accepted.get() - completed.get());
    }

    /** Whether a flush waits: the writer then writes what it has without waiting for a fuller batch. */
    boolean flushPending() {
        return waiters.get() > 0;
    }

    /**
     * Waits until every row accepted before this call is resolved.
     *
     * @param timeoutNanos the longest wait
     * @param writerAlive false once the writer stopped: nothing will be resolved any more
     * @param wake wakes the writer, once this flush is known to it
     * @return false when the time ran out first
     */
    boolean await(long timeoutNanos, BooleanSupplier writerAlive, Runnable wake) throws InterruptedException {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeoutNanos;
        waiters.incrementAndGet();
        wake.run();
        try {
            synchronized (monitor) {
                while (completed.get() < target && writerAlive.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            return true;
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Every waiting flush looks again (the writer stopped, or rows were resolved). */
    void releaseAll() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }
}
