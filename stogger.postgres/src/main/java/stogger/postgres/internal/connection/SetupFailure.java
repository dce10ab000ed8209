package stogger.postgres.internal.connection;

import java.sql.SQLException;

/**
 * A connection that works but cannot be used for logging yet (the table is missing and cannot be
 * created, say), with a message meant to be shown whole: it tells an operator what to do.
 */
public class SetupFailure extends SQLException {

    /**
     * @param message the whole explanation, in one line
     * @param sqlState the server's SQLState, or the one that describes the situation
     * @param cause the server's error, or null
     */
    public SetupFailure(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
