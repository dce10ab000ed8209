package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import stogger.postgres.internal.config.TableName;

/**
 * Creates the log table and its four indexes if they do not exist (seed: schema-creation), and
 * holds the INSERT the synchronous writer uses.
 */
public final class Schema {

    private final TableName table;

    public Schema(TableName table) {
        this.table = table;
    }

    /** The seed's table definition. */
    String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + table.quoted() + " ("
                + "id BIGSERIAL PRIMARY KEY, "
                + "timestamp TIMESTAMPTZ NOT NULL, "
                + "level TEXT NOT NULL, "
                + "event TEXT NOT NULL, "
                + "func TEXT, "
                + "scope TEXT, "
                + "data JSONB NOT NULL DEFAULT '{}')";
    }

    /** The single-row INSERT; parameters: timestamp, level, event, func, scope, data. */
    public String insert() {
        return "INSERT INTO " + table.quoted() + " (timestamp, level, event, func, scope, data) "
                + "VALUES (?, ?, ?, ?, ?, ?::jsonb)";
    }

    /**
     * The batch INSERT of the asynchronous writer: six text arrays (timestamp as ISO-8601, level,
     * event, func, scope, data as JSON text), unnested in array order.
     */
    public String batchInsert() {
        return "INSERT INTO " + table.quoted() + " (timestamp, level, event, func, scope, data) "
                + "SELECT ts::timestamptz, lvl, ev, fn, sc, dt::jsonb "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                + "WITH ORDINALITY AS u(ts, lvl, ev, fn, sc, dt, ord) ORDER BY ord";
    }

    /** The COPY of the asynchronous writer, in COPY's text format. */
    public String copy() {
        return "COPY " + table.quoted() + " (timestamp, level, event, func, scope, data) FROM STDIN";
    }

    /**
     * Creates what is missing, in one transaction under an advisory lock, so that several
     * processes starting at once against a fresh database all succeed. Leaves the connection in
     * autocommit mode.
     *
     * @param connection an open connection in autocommit mode
     * @throws SQLException when the schema cannot be created
     */
    public void ensure(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "stogger:" + table);
                lock.execute();
            }
            if (table.schema() != null && !schemaExists(connection)) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + table.quotedSchema());
            }
            statement.execute(createTable());
            statement.execute("CREATE INDEX IF NOT EXISTS " + table.quotedIndex("timestamp") + " ON "
                    + table.quoted() + " (timestamp DESC)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + table.quotedIndex("level") + " ON "
                    + table.quoted() + " (level)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + table.quotedIndex("event") + " ON "
                    + table.quoted() + " (event)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + table.quotedIndex("data") + " ON "
                    + table.quoted() + " USING GIN (data)");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The original failure is the one worth reporting.
            }
            throw e;
        } finally {
            restoreAutoCommit(connection);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // A broken connection is replaced by the caller; the DDL failure is already thrown.
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, table.schema());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
