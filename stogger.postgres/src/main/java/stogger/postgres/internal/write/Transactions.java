package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The end of an explicit transaction, whatever happened in it: a rollback if one is open, and
 * back to autocommit. Neither throws: a connection that broke meanwhile is replaced by the keeper,
 * and the failure that broke it is the one reported.
 */
public final class Transactions {

    private Transactions() {
    }

    /** Back to autocommit. */
    public static void autoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // A broken connection is replaced by the keeper; the failure that broke it is reported.
        }
    }

    /** Rolls back the open transaction, if there is one. */
    public static void rollback(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // As above.
        }
    }
}
