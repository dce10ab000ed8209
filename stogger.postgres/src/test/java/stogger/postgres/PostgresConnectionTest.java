package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import stogger.core.StoggerConfig;
import java.util.logging.Logger;
import stogger.core.InitResult;
import stogger.core.Stogger;

/**
 * Connection forms and the seed's real-package tests: provider lookup, unreachable DSN, password
 * from the environment, the Unix-socket DSN, bad configuration.
 */
class PostgresConnectionTest {

    private final TestDatabase db = TestDatabase.get();

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void stoggerInitFindsThePostgresProviderAndAttachesAWritingHandler() throws Exception {
        String table = TestDatabase.uniqueTable();
        Logger root = Logger.getLogger("");
        InitResult result = Stogger.init(new StoggerConfig(true, db.dsn(), table, null));
        try {
            assertEquals(List.of("console", "postgres"), result.activeTargets());
            List<PostgresHandler> attached = Arrays.stream(root.getHandlers())
                    .filter(PostgresHandler.class::isInstance).map(PostgresHandler.class::cast).toList();
            assertEquals(1, attached.size());
            attached.get(0).publish(new LogRecord(Level.INFO, "via-provider"));
            assertEquals(List.of("via-provider"), db.column("SELECT event FROM " + table));
        } finally {
            Stogger.shutdown();
            db.drop(table);
        }
        assertTrue(Arrays.stream(root.getHandlers()).noneMatch(PostgresHandler.class::isInstance));
    }

    @Test
    void stoggerInitListsATargetWithAnInvalidTableAsSkippedWithTheReason() throws Exception {
        Logger root = Logger.getLogger("");
        String stderr = TestSupport.captureStderr(() -> {
            InitResult result = Stogger.init(new StoggerConfig(true, db.dsn(), "logs; DROP TABLE users", null));
            try {
                assertEquals(List.of("console"), result.activeTargets());
                assertTrue(result.skippedTargets().get("postgres").startsWith("invalid table name 'logs; DROP TABLE"
                        + " users'"), result.toString());
                assertTrue(Arrays.stream(root.getHandlers()).noneMatch(PostgresHandler.class::isInstance));
            } finally {
                Stogger.shutdown();
            }
        });
        assertTrue(stderr.contains("stogger: the PostgreSQL target is off: invalid table name"), stderr);
    }

    @Test
    void unreachableDsnGivesAHandlerThatNeverThrowsAndCountsDrops() throws Exception {
        int port = freePort();
        String stderr = TestSupport.captureStderr(() -> {
            Handler handler = new stogger.postgres.internal.PostgresHandlerProvider().create(new StoggerConfig(true,
                    "postgresql://app:%PASSWORD%@127.0.0.1:" + port + "/logs", null, "hunter2-secret"));
            for (int i = 0; i < 100; i++) {
                handler.publish(new LogRecord(Level.INFO, "lost"));
            }
            handler.flush();
            handler.close();
            handler.publish(new LogRecord(Level.INFO, "after-close"));
            assertEquals(new HandlerStats(0, 101, 0, 0), ((PostgresHandler) handler).stats());
        });
        assertFalse(stderr.contains("hunter2-secret"), stderr);
        // One line per change of state and kind of loss, not one per record.
        List<String> lines = stderr.lines().toList();
        assertEquals(4, lines.size(), stderr);
        assertTrue(lines.get(1).startsWith("stogger.postgres: records lost (database-unreachable): the database is"
                + " unreachable; records are dropped and counted until it is reachable; 1 lost since "), stderr);
        assertEquals("stogger.postgres: closed; 100 records lost since start (database-unreachable 100)", lines.get(2));
        assertTrue(lines.get(3).startsWith("stogger.postgres: records lost (closed): published after close; 1 lost"),
                stderr);
        assertTrue(stderr.startsWith("stogger.postgres: cannot write to postgresql://app@127.0.0.1:" + port + "/logs"),
                stderr);
    }

    @Test
    void socketDsnOfTheSeedConnectsThroughTheUnixSocket() throws Exception {
        String directory = db.value("SHOW unix_socket_directories").split(",")[0].trim();
        String port = db.value("SHOW port");
        String user = db.value("SELECT current_user");
        String database = db.value("SELECT current_database()");
        String table = TestDatabase.uniqueTable();
        String application = "stogger-socket-" + table;
        PostgresHandler handler = new PostgresHandler(PostgresSettings.builder()
                .dsn("postgresql://" + user + ":@/" + database + "?host=" + directory + "&port=" + port
                        + "&application_name=" + application)
                .table(table).build());
        try {
            assertTrue(handler.isConnected(), "connected through " + directory);
            handler.publish(new LogRecord(Level.INFO, "over-the-socket"));
            assertEquals(List.of("over-the-socket"), db.column("SELECT event FROM " + table));
            // A Unix-socket client has no client address in pg_stat_activity.
            assertEquals("t", db.value("SELECT client_addr IS NULL FROM pg_stat_activity WHERE application_name = '"
                    + application + "'"));
        } finally {
            handler.close();
            db.drop(table);
        }
    }

    @Test
    void passwordFromTheVariableAgainstARoleThatNeedsOne() throws Exception {
        TestDatabase secured = TestDatabase.embedded(List.of(
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all all 127.0.0.1/32 scram-sha-256"));
        String password = "p@ss/w:rd%x";
        secured.execute("CREATE ROLE logwriter LOGIN PASSWORD '" + password + "'");
        secured.execute("CREATE SCHEMA logs AUTHORIZATION logwriter");
        String dsn = "postgresql://logwriter:%PASSWORD%@127.0.0.1:" + secured.port() + "/postgres";

        String wrongStderr = TestSupport.captureStderr(() -> {
            PostgresHandler wrong = new PostgresHandler(PostgresSettings.builder().dsn(dsn).password("wrong-password")
                    .table("logs.events").build());
            assertFalse(wrong.isConnected());
            wrong.close();
        });
        assertTrue(wrongStderr.contains("28P01"), "authentication is really required: " + wrongStderr);
        assertFalse(wrongStderr.contains("wrong-password"), wrongStderr);

        StoggerConfig config = new StoggerConfig(true, dsn, "logs.events", password);
        Handler handler = new stogger.postgres.internal.PostgresHandlerProvider().create(config);
        try {
            assertTrue(((PostgresHandler) handler).isConnected());
            handler.publish(new LogRecord(Level.INFO, "authenticated"));
            assertEquals(List.of("authenticated"), secured.column("SELECT event FROM logs.events"));
            assertEquals("logwriter", secured.value("SELECT tableowner FROM pg_tables WHERE tablename = 'events'"));
        } finally {
            handler.close();
        }
    }

    @Test
    void badTableNameIsRejectedWithAMessageNamingIt() throws Exception {
        String stderr = TestSupport.captureStderr(() -> {
            PostgresSettings settings = PostgresSettings.fromProperties(key -> switch (key) {
                case "stogger.postgres.PostgresHandler.dsn" -> db.dsn();
                case "stogger.postgres.PostgresHandler.table" -> "logs; DROP TABLE users";
                default -> null;
            }, null);
            PostgresHandler handler = new PostgresHandler(settings);
            handler.publish(new LogRecord(Level.INFO, "nowhere"));
            assertFalse(handler.isConnected());
            assertEquals(new HandlerStats(0, 1, 0, 0), handler.stats());
            handler.close();
        });
        assertTrue(stderr.contains("invalid table name 'logs; DROP TABLE users'"), stderr);
        assertTrue(stderr.contains("stogger.postgres.PostgresHandler.table"), stderr);
    }

    @Test
    void badOptionalValuesFallBackToDefaultsNamingKeyValueAndDefault() {
        PostgresSettings settings = PostgresSettings.fromProperties(key -> switch (key) {
            case "stogger.postgres.PostgresHandler.dsn" -> "postgresql://a@b/c";
            case "stogger.postgres.PostgresHandler.connectTimeoutMs" -> "soon";
            case "stogger.postgres.PostgresHandler.synchronousCommit" -> "maybe";
            case "stogger.postgres.PostgresHandler.level" -> "LOUD";
            default -> null;
        }, null);
        assertEquals(PostgresSettings.DEFAULT_CONNECT_TIMEOUT_MS, settings.connectTimeoutMs());
        assertTrue(settings.synchronousCommit());
        assertEquals(Level.ALL, settings.level());
        assertEquals(3, settings.problems().size(), settings.problems().toString());
        assertTrue(settings.problems().contains("stogger.postgres.PostgresHandler.connectTimeoutMs = 'soon' is not a"
                + " whole number of milliseconds from 1 to 600000; using the default 5000"), settings.problems().toString());
        assertTrue(settings.problems().contains("stogger.postgres.PostgresHandler.synchronousCommit = 'maybe' is not"
                + " one of on, off; using the default on"), settings.problems().toString());
        assertTrue(settings.problems().stream().anyMatch(p -> p.startsWith("stogger.postgres.PostgresHandler.level ="
                + " 'LOUD' is not a level")), settings.problems().toString());
    }

    @Test
    void missingDsnIsReportedNamingTheKeys() {
        PostgresSettings settings = PostgresSettings.fromProperties(key -> null, null);
        assertEquals(1, settings.problems().size());
        assertTrue(settings.problems().get(0).contains("stogger.postgres.PostgresHandler.dsn is not set"));
        assertTrue(settings.problems().get(0).contains("stogger.postgres_dsn"));
    }

    @Test
    void placeholderWithoutThePasswordVariableIsReportedAndTheAttemptGoesOn() {
        PostgresSettings settings = PostgresSettings.fromProperties(key -> switch (key) {
            case "stogger.postgres.PostgresHandler.dsn" -> "postgresql://app:%PASSWORD%@db/logs";
            default -> null;
        }, null);
        assertEquals("postgresql://app:%PASSWORD%@db/logs", settings.dsn());
        assertEquals(List.of("stogger.postgres.PostgresHandler.dsn contains %PASSWORD% but the environment variable"
                + " STOGGER_POSTGRES_PASSWORD is not set; connecting without a password"), settings.problems());
        assertTrue(PostgresSettings.fromStoggerConfig(new StoggerConfig(true, "postgresql://app:%PASSWORD%@db/logs",
                null, null)).problems().isEmpty(), "Stogger.init() reports it once, not the handler again");
    }

    @Test
    void fallsBackToTheStoggerKeys() {
        // The DSN uses the password, so that checking toString() for it can fail.
        PostgresSettings settings = PostgresSettings.fromProperties(key -> switch (key) {
            case "stogger.postgres_dsn" -> "postgresql://a:%PASSWORD%@b/c";
            case "stogger.postgres_table" -> "x.y";
            default -> null;
        }, "pw-from-env");
        assertEquals("postgresql://a:%PASSWORD%@b/c", settings.dsn());
        assertEquals("x.y", settings.table());
        assertTrue(settings.problems().isEmpty(), settings.problems().toString());
        assertFalse(settings.toString().contains("pw"), settings.toString());
        assertTrue(settings.toString().contains("a@b"), settings.toString());
    }

    /** Fails when the text shows the password raw or percent-encoded, or lacks one of {@code shown}. */
    private static void assertMasked(String text, String password, String... shown) {
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
        for (String form : List.of(password, encoded, encoded.replace("+", "%20"))) {
            assertFalse(text.contains(form), "shows the password as '" + form + "': " + text);
        }
        for (String part : shown) {
            assertTrue(text.contains(part), "does not show '" + part + "': " + text);
        }
    }

    @Test
    void toStringNeverShowsThePasswordButShowsUserAndHost() {
        // A literal password in the URI's user-info, percent-encoded there ('@' as %40).
        PostgresSettings literal = PostgresSettings.builder().dsn("postgresql://app:s3cr3t-P%40ss@host/db").build();
        assertMasked(literal.toString(), "s3cr3t-P@ss", "postgresql://app@host:5432/db");
        assertFalse(literal.toString().contains("s3cr3t"), literal.toString());
        // The same through the logging keys, in async mode (whose toString() lists more keys).
        PostgresSettings fromKeys = PostgresSettings.fromProperties(key -> switch (key) {
            case "stogger.postgres.PostgresHandler.dsn" -> "postgresql://app:s3cr3t-P%40ss@host/db";
            case "stogger.postgres.PostgresHandler.mode" -> "async";
            default -> null;
        }, null);
        assertTrue(fromKeys.problems().isEmpty(), fromKeys.problems().toString());
        assertMasked(fromKeys.toString(), "s3cr3t-P@ss", "postgresql://app@host:5432/db", "mode=async");
        assertFalse(fromKeys.toString().contains("s3cr3t"), fromKeys.toString());
        // The placeholder, with the password given to the builder: one that percent-encoding changes.
        String password = "hunter2 p@ss/w:rd%x";
        PostgresSettings placeholder = PostgresSettings.builder().dsn("postgresql://app:%PASSWORD%@host:5433/db")
                .password(password).build();
        assertEquals(password, placeholder.password());
        assertMasked(placeholder.toString(), password, "postgresql://app@host:5433/db");
        assertFalse(placeholder.toString().contains("hunter2"), placeholder.toString());
        // The other forms: key=value and a JDBC URL.
        PostgresSettings conninfo = PostgresSettings.builder()
                .dsn("host=host dbname=db user=app password='s3cr3t-P@ss'").build();
        assertMasked(conninfo.toString(), "s3cr3t-P@ss", "postgresql://app@host:5432/db");
        PostgresSettings jdbc = PostgresSettings.builder().dsn("jdbc:postgresql://host/db?user=app&password=%PASSWORD%")
                .password(password).build();
        assertMasked(jdbc.toString(), password, "//host/db", "user=app");
        assertFalse(jdbc.toString().contains("hunter2"), jdbc.toString());
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().connectTimeoutMs(0));
        assertTrue(e.getMessage().contains("connectTimeoutMs") && e.getMessage().contains("0"), e.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().table("a;b")).getMessage().contains("'a;b'"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().build()).getMessage().contains("dsn"));
    }
}
