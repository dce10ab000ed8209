package stogger.postgres.internal;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * pgjdbc's COPY API, kept in a class of its own: when this module cannot read the driver's
 * module (the driver on the class path, this module on the module path) only this class fails to
 * link, and {@link BatchInsert} falls back to a JDBC-only INSERT.
 */
final class PgCopy {

    private PgCopy() {
    }

    static boolean usable(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    static void copy(Connection connection, String sql, String text) throws SQLException {
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(text));
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
    }
}
