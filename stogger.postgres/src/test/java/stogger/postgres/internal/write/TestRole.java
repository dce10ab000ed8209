package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;

/**
 * A login role of one test, with no privileges of its own: created on the test database (trust
 * authentication, so its name is enough to connect), dropped with what it was granted afterwards.
 */
public final class TestRole implements AutoCloseable {

    private final TestDatabase db;
    private final String name;
    private final String dsn;

    private TestRole(TestDatabase db, String name, String dsn) {
        this.db = db;
        this.name = name;
        this.dsn = dsn;
    }

    /** Creates a new role {@code r_<random>} with LOGIN and nothing else. */
    public static TestRole create(TestDatabase db) throws SQLException {
        String name = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        db.execute("CREATE ROLE " + name + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
        return new TestRole(db, name, "postgresql://" + name + "@" + db.host() + ":" + db.port() + "/"
                + db.value("SELECT current_database()"));
    }

    /** The role's name. */
    public String name() {
        return name;
    }

    /** A DSN that connects as this role, as the handler takes it. */
    public String dsn() {
        return dsn;
    }

    /** A new connection as this role. */
    public Connection connect() throws SQLException {
        ConnectionTarget target = Dsn.parse(dsn, null, "test role");
        return DriverManager.getConnection(target.jdbcUrl(), target.copyOfProperties());
    }

    /** Whether the role may create objects in the schema. */
    public boolean mayCreateIn(String schema) throws SQLException {
        return "t".equals(db.value("SELECT has_schema_privilege('" + name + "', '" + schema + "', 'CREATE')"));
    }

    /**
     * Grants what an INSERT-only log role needs on an existing table in {@code public}: USAGE on
     * the schema, INSERT on the table, USAGE on its id sequence.
     */
    public void grantInsertOnly(String table) throws SQLException {
        db.execute("GRANT USAGE ON SCHEMA public TO " + name);
        db.execute("GRANT INSERT ON " + table + " TO " + name);
        db.execute("GRANT USAGE ON SEQUENCE " + db.value("SELECT pg_get_serial_sequence('" + table + "', 'id')")
                + " TO " + name);
    }

    /** Ends the role's sessions, drops what it owns and was granted, and the role. */
    @Override
    public void close() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement end = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?")) {
            end.setString(1, name);
            end.execute();
        }
        db.execute("DROP OWNED BY " + name);
        db.execute("DROP ROLE " + name);
    }
}
