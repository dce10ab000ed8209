package stogger.postgres.internal.loss;

import java.sql.SQLException;
import java.util.function.LongSupplier;
import java.util.logging.ErrorManager;
import stogger.postgres.internal.config.ConnectionTarget;

/**
 * Decides which failures reach stderr: one line per change of state (connected, unreachable,
 * restored), one reminder per minute while the database stays unreachable, and at most one
 * statement failure per ten seconds with the number of others suppressed. Every line carries the
 * counts a reader needs; every text is masked.
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
    private final Counters counters;
    private final LongSupplier nanoTime;
    private boolean down;
    private long downSinceNanos;
    private long lastReminderNanos;
    private long lostAtDown;
    private int attempts;
    private long lastStatementReportNanos;
    private long statementFailuresSuppressed;
    private boolean statementReported;

    public FailureReporter(Sink sink, ConnectionTarget target, Counters counters, LongSupplier nanoTime) {
        this.sink = sink;
        this.target = target;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** A connection attempt failed; the next one comes after {@code retryInMs}. */
    public synchronized void connectFailed(Exception cause, long retryInMs) {
        long now = nanoTime.getAsLong();
        attempts++;
        if (!down) {
            down = true;
            downSinceNanos = now;
            lastReminderNanos = now;
            lostAtDown = counters.dropped() + counters.failed();
            sink.report("cannot write to " + target + ": " + describe(cause) + "; records are dropped and counted"
                    + " until it is reachable, next attempt in " + retryInMs + " ms", cause, ErrorManager.OPEN_FAILURE);
        } else if (now - lastReminderNanos >= REMINDER_NANOS) {
            lastReminderNanos = now;
            sink.report("still cannot write to " + target + " after " + attempts + " attempts in "
                    + seconds(now - downSinceNanos) + " s; " + (counters.dropped() + counters.failed() - lostAtDown)
                    + " records lost meanwhile; last error: " + describe(cause) + "; next attempt in " + retryInMs
                    + " ms", cause, ErrorManager.OPEN_FAILURE);
        }
    }

    /** The connection broke while writing; a reconnect follows. */
    public synchronized void connectionLost(Exception cause) {
        sink.report("lost the connection to " + target + ": " + describe(cause) + "; reconnecting", cause,
                ErrorManager.WRITE_FAILURE);
    }

    /** A connection (and the schema) is ready. */
    public synchronized void connected() {
        if (down) {
            long now = nanoTime.getAsLong();
            sink.report("writing to " + target + " again after " + seconds(now - downSinceNanos) + " s and "
                    + attempts + " attempts; " + (counters.dropped() + counters.failed() - lostAtDown)
                    + " records were lost meanwhile", null, ErrorManager.GENERIC_FAILURE);
        }
        down = false;
        attempts = 0;
    }

    /** One INSERT failed for a reason of its own; the connection is fine. */
    public synchronized void statementFailed(SQLException cause) {
        long now = nanoTime.getAsLong();
        if (statementReported && now - lastStatementReportNanos < STATEMENT_INTERVAL_NANOS) {
            statementFailuresSuppressed++;
            return;
        }
        String suppressed = statementFailuresSuppressed == 0 ? ""
                : " (" + statementFailuresSuppressed + " similar failures not shown since the last report)";
        statementReported = true;
        lastStatementReportNanos = now;
        statementFailuresSuppressed = 0;
        sink.report("a record could not be written to " + target + ": " + describe(cause) + "; " + counters.failed()
                + " failed so far" + suppressed, cause, ErrorManager.WRITE_FAILURE);
    }

    /** Anything else, reported as it comes. */
    public void other(String message, Exception cause, int code) {
        sink.report(target.mask(message) + (cause == null ? "" : ": " + describe(cause)), cause, code);
    }

    private String describe(Exception e) {
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
