package stogger.postgres.internal.write;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import stogger.core.PostgresRow;

/**
 * pgjdbc's COPY API, kept in a class of its own: when this module cannot read the driver's
 * module (the driver on the class path, this module on the module path) only this class fails to
 * link, and {@link BatchInsert} falls back to a JDBC-only INSERT.
 *
 * <p>Rows are encoded and sent in chunks while one COPY is open, so the server works on a chunk
 * while the next is encoded; the COPY ends (and commits) after the last row of the batch.
 */
final class PgCopy {

    private static final int CHUNK_ROWS = 64;

    private PgCopy() {
    }

    static boolean usable(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    /** COPY of rows already in COPY's text format, one line each (the spool's records). */
    static void copyLines(Connection connection, String sql, List<byte[]> lines) throws SQLException {
        copyIn(connection, sql, copy -> {
            for (byte[] line : lines) {
                copy.writeToCopy(line, 0, line.length);
            }
        });
    }

    static void copy(Connection connection, String sql, List<PostgresRow> rows) throws SQLException {
        copyIn(connection, sql, copy -> {
            StringBuilder text = new StringBuilder(CHUNK_ROWS * 256);
            for (int start = 0; start < rows.size(); start += CHUNK_ROWS) {
                text.setLength(0);
                RowEncoder.appendCopyText(text, rows.subList(start, Math.min(rows.size(), start + CHUNK_ROWS)));
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
            }
        });
    }

    /** What a COPY sends between its start and its end. */
    private interface CopyBody {
        void write(CopyIn copy) throws SQLException;
    }

    /** Starts a COPY, sends the body and ends it; a COPY left open by a failure is cancelled. */
    private static void copyIn(Connection connection, String sql, CopyBody body) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            body.write(copy);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException e) {
                    // The failure that left the COPY open is the one the caller reports.
                }
            }
        }
    }
}
