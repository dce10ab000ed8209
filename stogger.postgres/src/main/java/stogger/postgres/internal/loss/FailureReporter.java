package stogger.postgres.internal.loss;

import java.sql.SQLException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.ErrorManager;
import stogger.postgres.internal.config.ConnectionTarget;

/**
 * Decides which connection failures reach stderr: one line per change of state (connected,
 * unreachable, restored), one reminder per minute while the database stays unreachable, and at
 * most one "lost the connection" line per ten seconds with the number of others not shown. Every
 * line carries the counts a reader needs and says what happens to records meanwhile; every text
 * is masked. Lost records themselves are told by the {@link LossLedger}. Also remembers the last
 * error, for the MBean.
 */
public final class FailureReporter {

    /** Receives (message, exception, ErrorManager code). */
    @FunctionalInterface
    public interface Sink {
        void report(String message, Exception exception, int code);
    }

    static final int MAX_DESCRIPTION = 400;
    static final long REMINDER_NANOS = 60_000_000_000L;
    static final long STATEMENT_INTERVAL_NANOS = 10_000_000_000L;

    private final Sink sink;
    private final ConnectionTarget target;
    private final LongSupplier lostSoFar;
    private volatile Supplier<String> whileUnreachable;
    private final LongSupplier nanoTime;
    private boolean down;
    private long downSinceNanos;
    private long lastReminderNanos;
    private long lostAtDown;
    private int attempts;
    private long lastLostReportNanos;
    private long lostReportsSuppressed;
    private boolean lostReported;
    private volatile String lastError;
    private volatile long refusedSinceNanos;
    private long refusals;
    private long lastRefusalReportNanos;
    private boolean refusalReported;
    private volatile Supplier<String> whileRefused = () -> "records are dropped and counted meanwhile";

    /**
     * @param sink where lines go
     * @param target the database, named in every line and masking its password
     * @param lostSoFar the number of records lost since start
     * @param whileUnreachable what happens to records while the database is unreachable, e.g.
     *     "records are dropped and counted until it is reachable"
     * @param nanoTime the clock
     */
    public FailureReporter(Sink sink, ConnectionTarget target, LongSupplier lostSoFar, Supplier<String> whileUnreachable,
            LongSupplier nanoTime) {
        this.sink = sink;
        this.target = target;
        this.lostSoFar = lostSoFar;
        this.whileUnreachable = whileUnreachable;
        this.nanoTime = nanoTime;
    }

    /** What happens to records while the database is unreachable: the writer of the mode says. */
    public void whileUnreachable(Supplier<String> text) {
        this.whileUnreachable = text;
    }

    /** A connection attempt failed; the next one comes after {@code retryInMs}. */
    public synchronized void connectFailed(Exception cause, long retryInMs) {
        connectFailed(cause, retryInMs, false);
    }

    /**
     * A connection attempt failed; the next one comes after {@code retryInMs}. With {@code whole},
     * the cause's message is shown uncut (it tells an operator what to do, such as the DDL to run).
     */
    public synchronized void connectFailed(Exception cause, long retryInMs, boolean whole) {
        long now = nanoTime.getAsLong();
        remember(cause);
        attempts++;
        if (!down) {
            down = true;
            downSinceNanos = now;
            lastReminderNanos = now;
            lostAtDown = lostSoFar.getAsLong();
            sink.report("cannot write to " + target + ": " + (whole ? target.mask(cause.getMessage()) : describe(cause))
                    + "; " + whileUnreachable.get()
                    + ", next attempt in " + retryInMs + " ms", cause, ErrorManager.OPEN_FAILURE);
        } else if (now - lastReminderNanos >= REMINDER_NANOS) {
            lastReminderNanos = now;
            sink.report("still cannot write to " + target + " after " + attempts + " attempts in "
                    + seconds(now - downSinceNanos) + " s; " + (lostSoFar.getAsLong() - lostAtDown)
                    + " records lost meanwhile; " + whileUnreachable.get() + "; last error: " + describe(cause) + "; next attempt in " + retryInMs
                    + " ms", cause, ErrorManager.OPEN_FAILURE);
        }
    }

    /** The connection broke while writing; a reconnect follows. At most one line per ten seconds. */
    public synchronized void connectionLost(Exception cause) {
        remember(cause);
        long now = nanoTime.getAsLong();
        if (lostReported && now - lastLostReportNanos < STATEMENT_INTERVAL_NANOS) {
            lostReportsSuppressed++;
            return;
        }
        String suppressed = lostReportsSuppressed == 0 ? ""
                : " (" + lostReportsSuppressed + " more times since the last such line)";
        lostReported = true;
        lastLostReportNanos = now;
        lostReportsSuppressed = 0;
        sink.report("lost the connection to " + target + ": " + describe(cause) + "; reconnecting" + suppressed, cause,
                ErrorManager.WRITE_FAILURE);
    }

    /** A connection (and the schema) is ready. */
    public synchronized void connected() {
        if (down) {
            long now = nanoTime.getAsLong();
            sink.report("writing to " + target + " again after " + seconds(now - downSinceNanos) + " s and "
                    + attempts + " attempts; " + (lostSoFar.getAsLong() - lostAtDown)
                    + " records were lost meanwhile", null, ErrorManager.GENERIC_FAILURE);
        }
        down = false;
        attempts = 0;
    }

    /**
     * The server refuses writes for now (disk full, read-only, a timeout, a revoked privilege):
     * rows are kept or counted by the writer; at most one line per ten seconds says so.
     */
    public synchronized void refused(SQLException cause) {
        remember(cause);
        long now = nanoTime.getAsLong();
        if (refusedSinceNanos == 0) {
            refusedSinceNanos = now;
            refusals = 0;
        }
        refusals++;
        if (refusalReported && now - lastRefusalReportNanos < STATEMENT_INTERVAL_NANOS) {
            return;
        }
        refusalReported = true;
        lastRefusalReportNanos = now;
        sink.report("the server refuses writes for now: " + describe(cause) + "; " + refusals + " refusals in "
                + seconds(now - refusedSinceNanos) + " s; " + whileRefused.get() + ", retrying with backoff", cause,
                ErrorManager.WRITE_FAILURE);
    }

    /** A write succeeded: ends a refusal episode with one line. */
    public void accepted() {
        if (refusedSinceNanos == 0) {
            return;
        }
        synchronized (this) {
            if (refusedSinceNanos != 0) {
                sink.report("the server accepts writes again after " + seconds(nanoTime.getAsLong() - refusedSinceNanos)
                        + " s and " + refusals + " refusals", null, ErrorManager.GENERIC_FAILURE);
                refusedSinceNanos = 0;
                refusalReported = false;
            }
        }
    }

    /** The client's socket timed out during a write: it may still commit, so it is not retried. */
    public void outcomeUnknown(SQLException cause) {
        remember(cause);
        sink.report("a write to " + target + " timed out on the client (socketTimeoutMs) and may still commit;"
                + " it is not retried, to avoid a duplicate, and the connection is replaced: " + describe(cause), cause,
                ErrorManager.WRITE_FAILURE);
    }

    /** What happens to records while the server refuses writes: the writer of the mode says. */
    public void whileRefused(Supplier<String> text) {
        this.whileRefused = text;
    }

    /** A record was rejected for a reason of its own; remembered as the last error. */
    public void rejected(SQLException cause) {
        remember(cause);
    }

    /** The last error seen, masked, with its time; null when none. */
    public String lastError() {
        return lastError;
    }

    private void remember(Exception cause) {
        lastError = java.time.Instant.now() + " " + describe(cause);
    }

    /** Anything else, reported as it comes. */
    public void other(String message, Exception cause, int code) {
        sink.report(target.mask(message) + (cause == null ? "" : ": " + describe(cause)), cause, code);
    }

    /** The exception in one masked line of at most about {@value #MAX_DESCRIPTION} chars, with its SQLState. */
    public String describe(Exception e) {
        String state = e instanceof SQLException sql && sql.getSQLState() != null ? " [SQLState " + sql.getSQLState()
                + "]" : "";
        String text = target.mask(e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\s*\\R\\s*", " | ");
        // The server's detail can quote a whole row; a report line stays readable.
        if (text.length() > MAX_DESCRIPTION) {
            text = text.substring(0, MAX_DESCRIPTION) + "...";
        }
        return text + state;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
