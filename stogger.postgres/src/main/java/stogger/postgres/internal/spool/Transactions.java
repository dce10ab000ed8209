package stogger.postgres.internal.spool;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/** The little a replay's transactions need: back to autocommit, and telling a broken connection. */
final class Transactions {

    private Transactions() {
    }

    static void autoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // A broken connection is replaced by the keeper; the failure that broke it is reported.
        }
    }

    static void rollback(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // As above.
        }
    }

    /** Whether the failure is the connection's (class 08, 57P, an I/O error, a closed connection). */
    static boolean connectionFailed(SQLException e, Connection connection) {
        String state = e.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return true;
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
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
}
