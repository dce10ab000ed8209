package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.StringJoiner;
import stogger.postgres.internal.config.TableName;

/**
 * The SQL of the log table: creates the table and its four indexes if they do not exist (seed:
 * schema-creation), and builds every statement that writes rows, all from one column list.
 */
public final class Schema {

    private final TableName table;
    private final boolean createTable;
    private final int lockTimeoutMs;

    /** A schema that creates what is missing, waiting at most 5 s for a lock. */
    public Schema(TableName table) {
        this(table, true, 5_000);
    }

    /**
     * @param table the log table
     * @param createTable whether missing tables and indexes may be created; false: never any DDL
     * @param lockTimeoutMs the longest DDL may wait for a lock
     */
    public Schema(TableName table, boolean createTable, int lockTimeoutMs) {
        this.table = table;
        this.createTable = createTable;
        this.lockTimeoutMs = lockTimeoutMs;
    }

    /** The table these statements write to. */
    public TableName table() {
        return table;
    }

    /** The seed's table definition: {@code id} and the {@link Column}s. */
    String createTable() {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table.quoted())
                .append(" (id BIGSERIAL PRIMARY KEY");
        for (Column column : Column.values()) {
            sql.append(", ").append(column.sqlName()).append(' ').append(column.definition());
        }
        return sql.append(')').toString();
    }

    /** The seed's four indexes, named as the Python edition names them. */
    List<String> createIndexes() {
        return List.of(index("timestamp", " (timestamp DESC)"), index("level", " (level)"), index("event", " (event)"),
                index("data", " USING GIN (data)"));
    }

    private String index(String column, String definition) {
        return "CREATE INDEX IF NOT EXISTS " + table.quotedIndex(column) + " ON " + table.quoted() + definition;
    }

    /** The single-row INSERT; its parameters are the {@link Column}s' values as text. */
    String insert() {
        StringJoiner values = new StringJoiner(", ");
        for (Column column : Column.values()) {
            values.add(column.fromText("?"));
        }
        return "INSERT INTO " + table.quoted() + " (" + Column.names() + ") VALUES (" + values + ")";
    }

    /**
     * The batch INSERT of the asynchronous writer: one text array per {@link Column}, unnested in
     * array order.
     */
    String batchInsert() {
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner selected = new StringJoiner(", ");
        StringJoiner aliases = new StringJoiner(", ");
        for (Column column : Column.values()) {
            arrays.add("?::text[]");
            selected.add(column.fromText("u_" + column.sqlName()));
            aliases.add("u_" + column.sqlName());
        }
        return "INSERT INTO " + table.quoted() + " (" + Column.names() + ") SELECT " + selected + " FROM unnest("
                + arrays + ") WITH ORDINALITY AS u(" + aliases + ", ord) ORDER BY ord";
    }

    /** The COPY of the asynchronous writer, in COPY's text format. */
    String copy() {
        return "COPY " + table.quoted() + " (" + Column.names() + ") FROM STDIN";
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
            for (String index : createIndexes()) {
                statement.execute(index);
            }
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
