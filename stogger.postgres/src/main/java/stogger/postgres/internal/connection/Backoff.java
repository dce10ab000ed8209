package stogger.postgres.internal.connection;

import java.util.function.LongSupplier;

/**
 * When the next connection attempt is due: at once at first and after a success; after each
 * failure the delay starts at the initial one and doubles up to the maximum. Time comes from a
 * clock in nanoseconds, so tests can drive it. Not thread-safe: its owner serialises calls.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final LongSupplier nanoTime;
    private long nextDelayMs;
    private long dueNanos;

    /** Retries after the server refused writes for now: 100 ms doubling to 1 s, so writing resumes quickly. */
    public static Backoff forRefusals(LongSupplier nanoTime) {
        return new Backoff(100, 1_000, nanoTime);
    }

    /**
     * @param initialMs the first delay after a failure
     * @param maxMs the longest delay; not less than {@code initialMs}
     * @param nanoTime the clock, {@code System::nanoTime} in production
     */
    public Backoff(long initialMs, long maxMs, LongSupplier nanoTime) {
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
        this.nanoTime = nanoTime;
        this.nextDelayMs = initialMs;
        this.dueNanos = nanoTime.getAsLong();
    }

    /** Whether an attempt may be made now. */
    public boolean due() {
        return nanosUntilDue() == 0;
    }

    /** How long until the next attempt is due, in nanoseconds; 0 when it is due now. */
    public long nanosUntilDue() {
        return Math.max(0, dueNanos - nanoTime.getAsLong());
    }

    /**
     * An attempt failed: the next one is due after the current delay, and the delay doubles.
     *
     * @return the delay until the next attempt, in milliseconds
     */
    public long failed() {
        long delay = nextDelayMs;
        dueNanos = nanoTime.getAsLong() + delay * 1_000_000L;
        nextDelayMs = Math.min(maxMs, delay * 2);
        return delay;
    }

    /** An attempt succeeded: the next failure starts again from the initial delay. */
    public void succeeded() {
        nextDelayMs = initialMs;
        dueNanos = nanoTime.getAsLong();
    }
}
