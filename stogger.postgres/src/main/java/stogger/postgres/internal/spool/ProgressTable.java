package stogger.postgres.internal.spool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.FailureClassifier;
import stogger.postgres.internal.write.Transactions;

/**
 * The replay position of each spool, in a small table beside the log table named after it
 * ({@code <table>_spool}): one row per spool directory (its id), updated in the same transaction
 * as the rows a replay writes, so the rows and the position are committed together or not at all.
 *
 * <p>Least privilege first: the catalog is asked before anything is created; the table is
 * created only with {@code createTable}, in a transaction bounded by the lock timeout. When it
 * cannot exist or be written, {@link #check} says why and the replay is at least once.
 */
final class ProgressTable {

    // has_table_privilege with a list of privileges is true when ANY of them is held: ask for each.
    private static final String LOOK = "SELECT c.oid IS NOT NULL, CASE WHEN c.oid IS NULL THEN false ELSE"
            + " has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')"
            + " AND has_table_privilege(c.oid, 'UPDATE') END FROM (SELECT to_regclass(?::text) AS oid) c";

    private final TableName name;
    private final boolean createTable;
    private final int lockTimeoutMs;

    ProgressTable(TableName logTable, boolean createTable, int lockTimeoutMs) {
        this.name = logTable.withSuffix("_spool");
        this.createTable = createTable;
        this.lockTimeoutMs = lockTimeoutMs;
    }

    TableName name() {
        return name;
    }

    String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + name.quoted() + " (spool TEXT PRIMARY KEY, segment BIGINT NOT NULL,"
                + " byte_offset BIGINT NOT NULL, live_batch BIGINT, updated TIMESTAMPTZ NOT NULL DEFAULT now())";
    }

    /**
     * Makes sure the table can be used: null when it can, else why not (with what an owner runs),
     * for the start-up line of an at-least-once replay.
     *
     * @throws SQLException only when the connection fails
     */
    String check(Connection connection) throws SQLException {
        boolean exists;
        boolean writable;
        try (PreparedStatement look = connection.prepareStatement(LOOK)) {
            look.setString(1, name.quoted());
            try (ResultSet row = look.executeQuery()) {
                row.next();
                exists = row.getBoolean(1);
                writable = row.getBoolean(2);
            }
        }
        if (exists) {
            return writable ? null : "the role may not SELECT, INSERT and UPDATE " + name + " (run as an owner: GRANT"
                    + " SELECT, INSERT, UPDATE ON " + name.quoted() + " TO <role>)";
        }
        if (!createTable) {
            return "createTable = false and " + name + " does not exist (run as an owner: " + createSql() + ")";
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + lockTimeoutMs + "ms'");
            statement.execute("SET LOCAL statement_timeout = '" + lockTimeoutMs + "ms'");
            statement.execute(createSql());
            connection.commit();
            return null;
        } catch (SQLException e) {
            rollback(connection);
            if (FailureClassifier.connectionFailed(e, connection)) {
                throw e;
            }
            return "the role cannot create " + name + ": " + e.getMessage().strip().split("\\R")[0] + " (SQLState "
                    + e.getSQLState() + "; run as an owner: " + createSql() + ")";
        } finally {
            Transactions.autoCommit(connection);
        }
    }

    /** The number of the last live batch committed for this spool, or null. */
    Long readLive(Connection connection, String spoolId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT live_batch FROM " + name.quoted()
                + " WHERE spool = ?")) {
            select.setString(1, spoolId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                long value = row.getLong(1);
                return row.wasNull() ? null : value;
            }
        }
    }

    /** Stores the number of the live batch written in the caller's transaction; leaves the position alone. */
    void writeLive(Connection connection, String spoolId, long liveBatch) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + name.quoted()
                + " AS p (spool, segment, byte_offset, live_batch) VALUES (?, 0, 0, ?) ON CONFLICT (spool) DO UPDATE"
                + " SET live_batch = EXCLUDED.live_batch")) {
            upsert.setString(1, spoolId);
            upsert.setLong(2, liveBatch);
            upsert.executeUpdate();
        }
    }

    /** The position stored for this spool, or {@link SpoolPosition#START}. */
    SpoolPosition read(Connection connection, String spoolId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT segment, byte_offset FROM "
                + name.quoted() + " WHERE spool = ?")) {
            select.setString(1, spoolId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new SpoolPosition(row.getLong(1), row.getLong(2)) : SpoolPosition.START;
            }
        }
    }

    /**
     * Moves the stored position from {@code from} to {@code to} in the caller's transaction.
     * Returns false, changing nothing, when the stored position is not {@code from}: a write
     * whose outcome was unknown committed after all, and its rows must not be written again.
     */
    boolean write(Connection connection, String spoolId, SpoolPosition from, SpoolPosition to) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + name.quoted()
                + " AS p (spool, segment, byte_offset, updated) VALUES (?, ?, ?, now()) ON CONFLICT (spool) DO UPDATE"
                + " SET segment = EXCLUDED.segment, byte_offset = EXCLUDED.byte_offset, updated = now()"
                + " WHERE p.segment = ? AND p.byte_offset = ?")) {
            upsert.setString(1, spoolId);
            upsert.setLong(2, to.segment());
            upsert.setLong(3, to.offset());
            upsert.setLong(4, from.segment());
            upsert.setLong(5, from.offset());
            return upsert.executeUpdate() == 1;
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The failure that led here is the one reported.
        }
    }
}
