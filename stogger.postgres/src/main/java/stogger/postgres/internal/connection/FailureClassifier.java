package stogger.postgres.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;

/** The one place that decides what a failed write means, from its SQLState and the connection. */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /**
     * Classifies a failure of a statement on a connection.
     *
     * @param failure what the driver threw
     * @param connection the connection it ran on, or null
     * @return {@link Outcome#UNREACHABLE} for connection exceptions (class 08), an operator
     *     intervention such as a terminated backend (57P), too many connections (53300), or a
     *     connection that is closed now; {@link Outcome#REJECTED} otherwise
     */
    public static Outcome classify(SQLException failure, Connection connection) {
        String state = failure.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
            return Outcome.UNREACHABLE;
        }
        try {
            return connection == null || connection.isClosed() ? Outcome.UNREACHABLE : Outcome.REJECTED;
        } catch (SQLException e) {
            return Outcome.UNREACHABLE;
        }
    }
}
