package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.FailureClassifier;

/**
 * The log table's existence: makes sure the table and its four indexes exist (seed:
 * schema-creation); its statements, DDL and writes, are built by its {@link TableSql}.
 *
 * <p>Least privilege first: {@link #ensure} looks in the catalog before it creates anything, so a
 * role with only INSERT on the table (and USAGE on its id sequence) can log. DDL runs only for
 * what is missing, only with {@code createTable}, and never waits long for a lock.
 */
public final class Schema {

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
    private static final int MAX_IDENTIFIER = 63;

    /**
     * Everything {@link #ensure} decides on, in one round trip and without locking the table:
     * the table as the session's search_path resolves it, the schema of a qualified name, each
     * index name in the table's schema (where {@code CREATE INDEX IF NOT EXISTS} would look), and
     * the role. Parameters: the schema name, the four index names, the quoted table name.
     */
    private static final String LOOK;

    static {
        StringBuilder sql = new StringBuilder("SELECT c.oid IS NOT NULL, n.nspname, current_user, current_schema(),"
                + " r.super, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)");
        for (int i = 0; i < TableSql.INDEXES.size(); i++) {
            sql.append(", EXISTS (SELECT 1 FROM pg_class i WHERE i.relnamespace = c.relnamespace AND i.relname = ?)");
        }
        LOOK = sql.append(" FROM (SELECT to_regclass(?::text) AS oid,"
                + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super) r"
                + " LEFT JOIN pg_class c ON c.oid = r.oid LEFT JOIN pg_namespace n ON n.oid = c.relnamespace")
                .toString();
    }

    /** What the catalog said. */
    private record Found(boolean tableExists, String tableSchema, boolean schemaExists, List<TableSql.Index> missingIndexes,
            String role, boolean superuser, String currentSchema) {

        boolean complete() {
            return tableExists && missingIndexes.isEmpty();
        }
    }

    private final TableName table;
    private final TableSql sql;
    private final boolean createTable;
    private final int lockTimeoutMs;
    private volatile String lastWarning;

    /** A schema that creates what is missing, waiting at most 5 s for a lock. */
    public Schema(TableName table) {
        this(table, true, 5_000);
    }

    /**
     * @param table the log table
     * @param createTable whether missing tables and indexes may be created; false: never any DDL
     * @param lockTimeoutMs the longest DDL may wait for a lock, and the longest it may run
     *     ({@code lock_timeout} and {@code statement_timeout} of its transaction)
     */
    public Schema(TableName table, boolean createTable, int lockTimeoutMs) {
        this.table = table;
        this.sql = new TableSql(table);
        this.createTable = createTable;
        this.lockTimeoutMs = lockTimeoutMs;
    }

    /** The table these statements write to. */
    public TableName table() {
        return table;
    }

    /** The statements on this table. */
    TableSql sql() {
        return sql;
    }

    /**
     * Makes sure the table and its indexes exist, creating only what is missing.
     *
     * <p>First one catalog query (no lock on the table, autocommit): when the table and its four
     * indexes exist, that is all, so a role with only INSERT can log and a table locked by
     * someone else does not delay the start. Otherwise, with {@code createTable}, one transaction
     * with {@code lock_timeout} and {@code statement_timeout} of {@code lockTimeoutMs}, under an
     * advisory lock (several processes starting at once against a fresh database all succeed),
     * looks again and creates what is still missing. The connection is left in autocommit mode.
     *
     * <p>A missing index that cannot be created does not stop logging: {@code ensure} returns
     * and {@link #lastWarning()} says what is missing and the DDL to run.
     *
     * @param connection an open connection in autocommit mode
     * @throws SchemaUnavailableException when the table is missing and cannot be created
     *     ({@code createTable = false}: SQLState 42P01; else the server's, such as 42501 or 55P03),
     *     or cannot even be looked up; its one-line message names the table, the role, the
     *     reason and the statements to run as an owner
     * @throws SQLException when the connection fails meanwhile
     */
    public void ensure(Connection connection) throws SQLException {
        lastWarning = null;
        Found found = lookOrExplain(connection);
        if (found.complete()) {
            return;
        }
        if (!createTable) {
            settle(found, "createTable = false", "42P01", null);
            return;
        }
        SQLException failure;
        try {
            create(connection);
            return;
        } catch (SQLException e) {
            if (FailureClassifier.connectionFailed(e, connection)) {
                throw e;
            }
            failure = e;
        }
        Found now;
        try {
            // Another process may have created the table meanwhile; only what is missing counts.
            now = look(connection);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        if (!now.complete()) {
            settle(now, reason(failure), failure.getSQLState(), failure);
        }
    }

    /**
     * What the last {@link #ensure} could not create although logging goes on: missing indexes,
     * the reason, and the DDL to run as an owner, in one line that stays the same while nothing
     * changes (so a caller can print it once); null when the table and its indexes are all there.
     */
    public String lastWarning() {
        return lastWarning;
    }

    /** The table is missing: throws; only indexes are: remembers the warning. */
    private void settle(Found found, String reason, String sqlState, SQLException cause)
            throws SchemaUnavailableException {
        TableName target = resolved(found);
        if (!found.tableExists()) {
            List<String> ddl = new ArrayList<>();
            if (table.schema() != null && !found.schemaExists()) {
                ddl.add("CREATE SCHEMA IF NOT EXISTS " + table.quotedSchema());
            }
            ddl.add(TableSql.createTable(target));
            for (TableSql.Index index : TableSql.INDEXES) {
                ddl.add(TableSql.createIndex(target, index));
            }
            List<String> grants = grants(found, target);
            throw new SchemaUnavailableException("log table " + table + " is missing and role " + found.role()
                    + " cannot create it: " + reason + "; run as an owner: " + script(ddl, grants), sqlState, ddl,
                    grants, cause);
        }
        StringJoiner names = new StringJoiner(", ");
        List<String> ddl = new ArrayList<>();
        for (TableSql.Index index : found.missingIndexes()) {
            names.add(target.quotedIndex(index.column().sqlName()));
            ddl.add(TableSql.createIndex(target, index));
        }
        lastWarning = "log table " + table + " lacks " + (ddl.size() == 1 ? "index " : "indexes ") + names
                + " and role " + found.role() + " cannot create " + (ddl.size() == 1 ? "it" : "them") + ": " + reason
                + "; logging goes on, queries on the table are slower until it has them; run as an owner: "
                + String.join("; ", ddl);
    }

    /** One transaction, bounded by lockTimeoutMs, under the advisory lock: creates what is still missing. */
    private void create(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + lockTimeoutMs + "ms'");
            statement.execute("SET LOCAL statement_timeout = '" + lockTimeoutMs + "ms'");
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "stogger:" + table);
                lock.execute();
            }
            Found found = look(connection);
            if (!found.tableExists()) {
                // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
                if (table.schema() != null && !found.schemaExists()) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + table.quotedSchema());
                }
                statement.execute(sql.createTable());
            }
            for (TableSql.Index index : found.tableExists() ? found.missingIndexes() : TableSql.INDEXES) {
                statement.execute(TableSql.createIndex(table, index));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            Transactions.rollback(connection);
            throw e;
        } finally {
            Transactions.autoCommit(connection);
        }
    }

    /**
     * {@link #look}, but a qualified name whose schema this role may not use (to_regclass then
     * fails with 42501, and nothing can be known about the table) becomes a
     * {@link SchemaUnavailableException} that names the GRANT to run.
     */
    private Found lookOrExplain(Connection connection) throws SQLException {
        try {
            return look(connection);
        } catch (SQLException e) {
            if (table.schema() == null || !"42501".equals(e.getSQLState()) || FailureClassifier.connectionFailed(e, connection)) {
                throw e;
            }
            String role = currentUser(connection);
            List<String> grants = List.of("GRANT USAGE ON SCHEMA " + table.quotedSchema() + " TO " + quote(role));
            throw new SchemaUnavailableException("log table " + table + " cannot be looked up by role " + role + ": "
                    + reason(e) + "; run as an owner: " + script(List.of(), grants), e.getSQLState(), List.of(),
                    grants, e);
        }
    }

    private Found look(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(LOOK)) {
            int p = 1;
            query.setString(p++, table.schema() == null ? "" : table.schema());
            for (TableSql.Index index : TableSql.INDEXES) {
                query.setString(p++, unquote(table.quotedIndex(index.column().sqlName())));
            }
            query.setString(p, table.quoted());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                List<TableSql.Index> missing = new ArrayList<>();
                for (int i = 0; i < TableSql.INDEXES.size(); i++) {
                    if (!row.getBoolean(7 + i)) {
                        missing.add(TableSql.INDEXES.get(i));
                    }
                }
                return new Found(row.getBoolean(1), row.getString(2), row.getBoolean(6), List.copyOf(missing),
                        row.getString(3), row.getBoolean(5), row.getString(4));
            }
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user")) {
            row.next();
            return row.getString(1);
        }
    }

    /**
     * The table qualified as the DDL for an owner should name it: where it is, or for a missing
     * unqualified name, where this session would create it and looks for it (its
     * current_schema()), since an owner's own search_path may differ.
     */
    private TableName resolved(Found found) {
        if (table.schema() != null) {
            return table;
        }
        String schema = found.tableExists() ? found.tableSchema() : found.currentSchema();
        if (schema == null) {
            return table;
        }
        try {
            return TableName.parse(schema + "." + table, "table");
        } catch (IllegalArgumentException e) {
            // A schema name TableName does not accept (a hyphen, say): the DDL stays unqualified.
            return table;
        }
    }

    /** What lets the role write once an owner created the table; nothing for a superuser. */
    private List<String> grants(Found found, TableName target) {
        if (found.superuser()) {
            return List.of();
        }
        String role = quote(found.role());
        List<String> grants = new ArrayList<>();
        if (table.schema() != null) {
            grants.add("GRANT USAGE ON SCHEMA " + table.quotedSchema() + " TO " + role);
        }
        grants.add("GRANT INSERT ON " + target.quoted() + " TO " + role);
        grants.add("GRANT USAGE ON SEQUENCE " + sequence(target) + " TO " + role);
        return List.copyOf(grants);
    }

    /**
     * The name PostgreSQL gives the id column's sequence: {@code <table>_id_seq}, the table's
     * name cut to fit 63 characters (PostgreSQL's makeObjectName), in the table's schema.
     */
    private static String sequence(TableName target) {
        String name = target.toString();
        String bare = name.substring(name.lastIndexOf('.') + 1);
        String suffix = "_id_seq";
        if (bare.length() + suffix.length() > MAX_IDENTIFIER) {
            bare = bare.substring(0, MAX_IDENTIFIER - suffix.length());
        }
        String quoted = target.quoted();
        String schemaPart = name.contains(".") ? quoted.substring(0, quoted.indexOf("\".\"") + 2) : "";
        return schemaPart + quote(bare + suffix);
    }

    private static String script(List<String> ddl, List<String> grants) {
        List<String> all = new ArrayList<>(ddl);
        all.addAll(grants);
        return String.join("; ", all);
    }

    /** The server's reason in one line: its message (and detail, hint), without position, and the SQLState. */
    static String reason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        StringJoiner lines = new StringJoiner(" | ");
        for (String line : message.split("\\R")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("Position:") && !text.startsWith("Where:")) {
                lines.add(text);
            }
        }
        return lines + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    /** An identifier quoted for SQL, for a role name, which may contain anything. */
    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
