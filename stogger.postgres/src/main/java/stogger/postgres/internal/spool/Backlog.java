package stogger.postgres.internal.spool;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many records the spool holds, how many it replayed, and the time of the oldest it holds:
 * the counts that appends, replays and the start-up recovery move, and that {@code stats()}
 * reads. Thread-safe.
 */
final class Backlog {

    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile long oldestMillis;

    /**
     * Records appended; the first in an empty spool sets the oldest record's time.
     *
     * @return how many records the spool held before
     */
    long appended(int records, Instant first) {
        long before = spooled.getAndAdd(records);
        if (before == 0) {
            oldestMillis = first.toEpochMilli();
        }
        return before;
    }

    /** Records an earlier process left, found at start. */
    void recovered(long records, long oldestMillis) {
        this.oldestMillis = oldestMillis;
        spooled.addAndGet(records);
    }

    /** Replayed rows committed; {@code last} is the newest of them (null when unknown). */
    void replayed(int rows, Instant last) {
        long left = spooled.addAndGet(-rows);
        replayed.addAndGet(rows);
        if (left <= 0) {
            oldestMillis = 0;
        } else if (last != null) {
            oldestMillis = last.toEpochMilli();
        }
    }

    /** Spooled records that leave without a replay: written by a live batch already, or rejected. */
    void gone(long records) {
        spooled.addAndGet(-records);
    }

    /** Records held now. */
    long count() {
        return spooled.get();
    }

    /** Records replayed since start. */
    long replayedCount() {
        return replayed.get();
    }

    /** Nanoseconds until a replay batch is worth writing: a batch's worth is held, or the oldest waited long enough. */
    long nanosUntilBatchDue(long flushIntervalNanos, int batchSize) {
        long n = spooled.get();
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        if (n >= batchSize) {
            return 0;
        }
        long waited = TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - oldestMillis));
        return Math.max(0, flushIntervalNanos - waited);
    }

    /** The counts for {@code stats()}, with the spool's size on disk. */
    SpoolStats stats(long bytes) {
        long oldest = oldestMillis;
        long n = spooled.get();
        return new SpoolStats(Math.max(0, n), bytes, n <= 0 || oldest == 0 ? 0
                : Math.max(0, System.currentTimeMillis() - oldest), replayed.get());
    }
}
