package stogger.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;

/**
 * The PostgreSQL server the tests use: the one named by {@code STOGGER_TEST_DSN} (a libpq URI
 * or key=value string of a superuser) when set, otherwise an embedded server started once per
 * JVM. Tests never skip for lack of a server.
 */
public final class TestDatabase {

    private static TestDatabase shared;

    private final String dsn;
    private final ConnectionTarget target;

    private TestDatabase(String dsn) {
        this.dsn = dsn;
        this.target = Dsn.parse(dsn, null, "STOGGER_TEST_DSN");
    }

    /** The shared server. */
    public static synchronized TestDatabase get() {
        if (shared == null) {
            String configured = System.getenv("STOGGER_TEST_DSN");
            shared = configured != null && !configured.isBlank() ? new TestDatabase(configured) : embedded(null);
        }
        return shared;
    }

    /**
     * Starts an embedded server of its own; {@code hbaLines}, when given, replace pg_hba.conf.
     */
    public static TestDatabase embedded(List<String> hbaLines) {
        try {
            Path socketDir = Files.createTempDirectory("stogger-pg-socket");
            Path base = Files.createTempDirectory("stogger-epg-");
            Path data = base.resolve("data");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setServerConfig("unix_socket_directories", socketDir.toString())
                    // The embedded server turns this off for speed; tests want a server as deployed.
                    .setServerConfig("synchronous_commit", "on");
            if (hbaLines != null) {
                Path hba = Files.createTempFile("stogger-hba", ".conf");
                Files.write(hba, hbaLines);
                builder.setServerConfig("hba_file", hba.toString());
            }
            ServerWatchdog.stopWithThisJvm(data, base);
            EmbeddedPostgres server = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // The JVM is exiting; the temporary server goes with it.
                }
            }));
            return new TestDatabase("postgresql://postgres@127.0.0.1:" + server.getPort() + "/postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    /** A DSN of a superuser, as the handler takes it. */
    public String dsn() {
        return dsn;
    }

    /** The TCP host of the server. */
    public String host() {
        return target.jdbcUrl().replaceAll("^jdbc:postgresql://([^:/]+):(\\d+)/.*$", "$1");
    }

    /** The TCP port of the server. */
    public int port() {
        return Integer.parseInt(target.jdbcUrl().replaceAll("^jdbc:postgresql://([^:/]+):(\\d+)/.*$", "$2"));
    }

    /** A DSN for the same user and database on another host and port (a proxy). */
    public String dsnAt(String host, int port) throws SQLException {
        return "postgresql://" + value("SELECT current_user") + "@" + host + ":" + port + "/"
                + value("SELECT current_database()");
    }

    /** A new connection for checking rows. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.copyOfProperties());
    }

    /** A table name no other test uses. */
    public static String uniqueTable() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Runs one statement. */
    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row of a query, as strings. */
    public List<String> column(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    /** A single value. */
    public String value(String sql) throws SQLException {
        List<String> values = column(sql);
        if (values.size() != 1) {
            throw new AssertionError("expected one row from " + sql + ", got " + values);
        }
        return values.get(0);
    }

    /** The number of rows in a table. */
    public long count(String table) throws SQLException {
        return Long.parseLong(value("SELECT count(*) FROM " + table));
    }

    /** Drops a table if it exists. */
    public void drop(String table) throws SQLException {
        execute("DROP TABLE IF EXISTS " + table);
    }
}
