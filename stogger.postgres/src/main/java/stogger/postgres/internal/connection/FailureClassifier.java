package stogger.postgres.internal.connection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one place that decides what a failed write means, from its SQLState, its cause and the
 * connection. The SQLStates are PostgreSQL's (Appendix A of its manual).
 */
public final class FailureClassifier {

    /**
     * Refusals that every row would get alike for a while: insufficient resources (class 53:
     * disk full, out of memory, too many connections), a read-only transaction (25006), the
     * server's statement timeout or a cancel (57014), a lock timeout (55P03), a revoked privilege
     * (42501), serialization failure and deadlock (40001, 40P01), a table dropped meanwhile (42P01).
     */
    private static final Set<String> REFUSED = Set.of("25006", "57014", "55P03", "42501", "40001", "40P01", "42P01");
    /** Refusals after which this session is no use: read-only (a failover) and a missing table. */
    private static final Set<String> NEEDS_NEW_SESSION = Set.of("25006", "42P01");

    private FailureClassifier() {
    }

    /**
     * Classifies a failure of a statement on a connection.
     *
     * @param failure what the driver threw
     * @param connection the connection it ran on, or null
     * @return {@link Outcome#UNKNOWN} when the client's socket timed out (the statement may still
     *     commit); {@link Outcome#UNREACHABLE} for connection exceptions (class 08), an operator
     *     intervention such as a terminated backend (57P), or a connection that is closed now;
     *     {@link Outcome#REFUSED} for the refusals listed above; {@link Outcome#REJECTED} otherwise
     */
    public static Outcome classify(SQLException failure, Connection connection) {
        if (causedBySocketTimeout(failure)) {
            return Outcome.UNKNOWN;
        }
        String state = failure.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return Outcome.UNREACHABLE;
        }
        if (state != null && (state.startsWith("53") || REFUSED.contains(state))) {
            return Outcome.REFUSED;
        }
        try {
            return connection == null || connection.isClosed() ? Outcome.UNREACHABLE : Outcome.REJECTED;
        } catch (SQLException e) {
            return Outcome.UNREACHABLE;
        }
    }

    /**
     * Whether a failure is the connection's (the caller replaces it) rather than the server's
     * answer to the statement: no SQLState, class 08, an operator intervention (57P), an I/O
     * error underneath, or a connection that is closed now.
     */
    public static boolean connectionFailed(SQLException failure, Connection connection) {
        String state = failure.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return true;
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        try {
            return connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    /** Whether a refusal also means this session must be replaced (read-only, or the table is gone). */
    static boolean needsNewSession(SQLException failure) {
        return NEEDS_NEW_SESSION.contains(failure.getSQLState());
    }

    /**
     * Whether a failed connection attempt means the server is not there (rather than there and
     * refusing): then a quick reachability probe may bring the next attempt forward.
     */
    static boolean serverAbsent(Exception failure) {
        if (failure instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state == null || state.startsWith("08") || state.startsWith("57P");
        }
        return true;
    }

    private static boolean causedBySocketTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
