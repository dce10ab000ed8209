package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;
import stogger.core.LogScope;

/** The handler against a real PostgreSQL: every column, hostile values, concurrency, failures. */
class PostgresHandlerTest {

    private final HandlerFixture fixture = new HandlerFixture();
    private final TestDatabase db = fixture.db;
    private final String table = fixture.table;
    private final Logger logger = fixture.logger;


    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresHandler attach(PostgresSettings.Builder settings) {
        return fixture.attach(settings);
    }

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(db.dsn()).table(table);
    }

    private Map<String, String> row(String where) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT timestamp, level, event, func, scope, data::text FROM " + table
                        + " WHERE " + where)) {
            assertTrue(rs.next(), "a row where " + where);
            Map<String, String> row = new java.util.HashMap<>();
            row.put("timestamp", rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString());
            row.put("level", rs.getString(2));
            row.put("event", rs.getString(3));
            row.put("func", rs.getString(4));
            row.put("scope", rs.getString(5));
            row.put("data", rs.getString(6));
            assertFalse(rs.next(), "only one row where " + where);
            return row;
        }
    }

    @Test
    void createsTheSeedsTableAndIndexes() throws Exception {
        attach(settings());
        List<String> columns = db.column("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
                + "FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position");
        assertEquals(List.of("id bigint NO", "timestamp timestamp with time zone NO", "level text NO", "event text NO",
                "func text YES", "scope text YES", "data jsonb NO"), columns);
        List<String> indexes = db.column("SELECT indexdef FROM pg_indexes WHERE tablename = '" + table
                + "' ORDER BY indexname");
        assertEquals(5, indexes.size(), indexes.toString());
        assertTrue(indexes.stream().anyMatch(d -> d.contains("USING gin (data)")), indexes.toString());
        assertTrue(indexes.stream().anyMatch(d -> d.contains("(\"timestamp\" DESC)")), indexes.toString());
        assertTrue(indexes.stream().anyMatch(d -> d.contains("(level)")), indexes.toString());
        assertTrue(indexes.stream().anyMatch(d -> d.contains("(event)")), indexes.toString());
        assertEquals("'{}'::jsonb", db.value("SELECT column_default FROM information_schema.columns WHERE table_name = '"
                + table + "' AND column_name = 'data'"));
    }

    @Test
    void everyColumnFollowsTheMappingRules() throws Exception {
        PostgresHandler handler = attach(settings());
        LogRecord record = new LogRecord(Level.WARNING, "order {0} is late");
        record.setLoggerName(logger.getName());
        record.setSourceClassName("com.example.Orders");
        record.setSourceMethodName("ship");
        Instant instant = Instant.parse("2026-11-24T10:15:30.123456Z");
        record.setInstant(instant);
        record.setParameters(new Object[] {17, "extra", Fields.of("order_id", 17, "amount", 9.99, "rush", true)});
        try (LogScope scope = LogScope.open("shipping", "warehouse", "north")) {
            logger.log(record);
        }
        logger.log(Level.SEVERE, "payment-failed", new IllegalStateException("card declined"));
        logger.log(Level.INFO, "custom", Fields.of("func", "billing.charge", "scope", "nightly"));
        logger.log(Level.FINE, "fine");
        logger.log(Level.FINEST, "finest");

        Map<String, String> late = row("event = 'order {0} is late'");
        assertEquals(instant.toString(), late.get("timestamp"));
        assertEquals("warning", late.get("level"));
        assertEquals("com.example.Orders.ship", late.get("func"));
        assertEquals("shipping", late.get("scope"));
        assertEquals("17", db.value("SELECT data->>'order_id' FROM " + table + " WHERE event = 'order {0} is late'"));
        assertEquals("number", db.value("SELECT jsonb_typeof(data->'amount') FROM " + table
                + " WHERE event = 'order {0} is late'"));
        assertEquals("boolean", db.value("SELECT jsonb_typeof(data->'rush') FROM " + table
                + " WHERE event = 'order {0} is late'"));
        assertEquals("north", db.value("SELECT data->>'warehouse' FROM " + table + " WHERE event = 'order {0} is late'"));
        assertEquals("order 17 is late", db.value("SELECT data->>'message' FROM " + table
                + " WHERE event = 'order {0} is late'"));
        assertEquals("[\"extra\"]", db.value("SELECT data->'args' FROM " + table + " WHERE event = 'order {0} is late'"));
        assertEquals(logger.getName(), db.value("SELECT data->>'logger' FROM " + table
                + " WHERE event = 'order {0} is late'"));

        Map<String, String> failed = row("event = 'payment-failed'");
        assertEquals("error", failed.get("level"));
        assertEquals(PostgresHandlerTest.class.getName() + ".everyColumnFollowsTheMappingRules", failed.get("func"));
        assertNull(failed.get("scope"));
        assertEquals("java.lang.IllegalStateException", db.value("SELECT data->'exception'->>'type' FROM " + table
                + " WHERE event = 'payment-failed'"));
        assertEquals("card declined", db.value("SELECT data->'exception'->>'message' FROM " + table
                + " WHERE event = 'payment-failed'"));

        Map<String, String> custom = row("event = 'custom'");
        assertEquals("billing.charge", custom.get("func"));
        assertEquals("nightly", custom.get("scope"));
        assertEquals("info", custom.get("level"));
        assertEquals("debug", row("event = 'fine'").get("level"));
        assertEquals("finest", row("event = 'finest'").get("level"));
        assertEquals(new HandlerStats(5, 0, 0, 0), handler.stats());
    }

    @Test
    void hostileValuesEachYieldARow() throws Exception {
        PostgresHandler handler = attach(settings());
        Object throwingToString = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        List<Object> deep = new ArrayList<>();
        List<Object> cursor = deep;
        for (int i = 0; i < 5000; i++) {
            List<Object> next = new ArrayList<>();
            cursor.add(next);
            cursor = next;
        }
        logger.log(Level.INFO, "nul\u0000event", Fields.of("v", "a\u0000b", "k\u0000", 1));
        logger.log(Level.INFO, "tostring", Fields.of("v", throwingToString));
        logger.log(Level.INFO, "nan", Fields.of("nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY));
        logger.log(Level.INFO, "cycle", Fields.of("v", cyclic));
        logger.log(Level.INFO, "deep", Fields.of("v", deep));
        logger.log(Level.INFO, "surrogate", Fields.of("v", "x\uD800y"));
        logger.log(Level.INFO, "huge", Fields.of("v", "h".repeat(1024 * 1024)));
        logger.log(Level.INFO, "m".repeat(1024 * 1024));
        logger.log(Level.INFO, (String) null);
        logger.log(Level.INFO, "nullparams {0}", (Object) null);
        assertEquals(new HandlerStats(10, 0, 0, 0), handler.stats());
        assertEquals(10, db.count(table));
        assertEquals("a\uFFFDb", db.value("SELECT data->>'v' FROM " + table + " WHERE event = 'nul\uFFFDevent'"));
        assertTrue(db.value("SELECT data->>'v' FROM " + table + " WHERE event = 'tostring'")
                .contains("IllegalStateException"));
        assertEquals("NaN", db.value("SELECT data->>'nan' FROM " + table + " WHERE event = 'nan'"));
        assertEquals("x\uFFFDy", db.value("SELECT data->>'v' FROM " + table + " WHERE event = 'surrogate'"));
        assertTrue(db.value("SELECT data->>'v' FROM " + table + " WHERE event = 'huge'").contains("original length"));
        assertEquals("", db.value("SELECT event FROM " + table + " WHERE event = ''"));
    }

    @Test
    void eightThreadsWriteEveryRecordExactlyOnce() throws Exception {
        PostgresHandler handler = attach(settings());
        int threads = 8;
        int perThread = 1000;
        TestSupport.runConcurrently(threads, worker -> {
            for (int i = 0; i < perThread; i++) {
                logger.log(Level.INFO, "work", Fields.of("worker", worker, "seq", i));
            }
        });
        assertEquals(threads * perThread, db.count(table));
        assertEquals(String.valueOf(threads * perThread), db.value("SELECT count(DISTINCT (data->>'worker', data->>'seq')) FROM "
                + table));
        assertEquals(new HandlerStats(threads * perThread, 0, 0, 0), handler.stats());
    }

    @Test
    void databaseDownAtStartThenUpResumesWithoutRestart() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            AtomicReference<PostgresHandler> created = new AtomicReference<>();
            String warnings = TestSupport.captureStderr(() -> {
                created.set(attach(PostgresSettings.builder().dsn(db.dsnAt("127.0.0.1", proxy.port())).table(table)
                        .retryInitialMs(50).retryMaxMs(200).connectTimeoutMs(2000)));
                for (int i = 0; i < 5; i++) {
                    logger.info("while-down");
                }
            });
            PostgresHandler handler = created.get();
            assertFalse(handler.isConnected());
            assertEquals(0, handler.stats().written());
            assertEquals(5, handler.stats().dropped());
            assertEquals(1, warnings.lines().filter(l -> l.startsWith("stogger.postgres: cannot write to")).count(),
                    warnings);

            proxy.up();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (handler.stats().written() == 0 && System.nanoTime() < deadline) {
                logger.info("after-up");
                Thread.sleep(20);
            }
            assertTrue(handler.isConnected());
            logger.info("resumed");
            assertEquals("1", db.value("SELECT count(*) FROM " + table + " WHERE event = 'resumed'"));
            assertEquals(String.valueOf(handler.stats().written()), db.value("SELECT count(*) FROM " + table
                    + " WHERE event <> 'records-lost'"));
            assertEquals(String.valueOf(handler.stats().dropped()), db.value("SELECT sum((data->>'lost')::bigint) FROM "
                    + table + " WHERE event = 'records-lost' AND data->>'reason' = 'database-unreachable'"),
                    "the outage's marker row counts every record dropped while down");
        }
    }

    @Test
    void killedBackendIsReplacedAndNoRecordIsLost() throws Exception {
        String application = "stogger-kill-" + table;
        PostgresHandler handler = attach(PostgresSettings.builder()
                .dsn(db.dsn() + (db.dsn().contains("?") ? "&" : "?") + "application_name=" + application).table(table));
        for (int i = 0; i < 10; i++) {
            logger.info("before-kill");
        }
        assertEquals("t", db.value("SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = '" + application + "'"));
        for (int i = 0; i < 10; i++) {
            logger.info("after-kill");
        }
        assertEquals(20, db.count(table));
        assertEquals(new HandlerStats(20, 0, 0, 0), handler.stats());
    }

    @Test
    void aFailedStatementDoesNotPoisonTheNextOne() throws Exception {
        PostgresHandler handler = attach(settings());
        logger.info("first");
        db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_poison CHECK (event <> 'poison')");
        String warnings = TestSupport.captureStderr(() -> {
            logger.info("poison");
            logger.info("poison");
            logger.info("after");
        });
        assertEquals(List.of("first", "after"), db.column("SELECT event FROM " + table
                + " WHERE event <> 'records-lost' ORDER BY id"));
        assertEquals(new HandlerStats(2, 0, 2, 0), handler.stats());
        assertEquals(1, warnings.lines().filter(l -> l.contains("no_poison")).count(),
                "the second failure within 10 s is not repeated: " + warnings);
        assertTrue(warnings.contains("no_poison"), warnings);
        assertTrue(warnings.contains("23514"), warnings);
        // The episode ends with the write of "after": one line, one marker row, both with the exact count.
        assertEquals(1, warnings.lines().filter(l -> l.contains("writing again; 2 records lost (statement-failed)"))
                .count(), warnings);
        assertEquals(List.of("2 statement-failed"), db.column("SELECT (data->>'lost') || ' ' || (data->>'reason') FROM "
                + table + " WHERE event = 'records-lost'"));
    }

    @Test
    void synchronousCommitOffAppliesToTheHandlersSession() throws Exception {
        assertEquals("on", db.value("SHOW synchronous_commit"), "the server's own setting");
        AtomicReference<Connection> opened = new AtomicReference<>();
        PostgresHandler handler = new PostgresHandler(settings().synchronousCommit(false).build(), (url, props) -> {
            Connection connection = DriverManager.getConnection(url, props);
            opened.set(connection);
            return connection;
        });
        fixture.attach(handler);
        logger.info("async-commit");
        try (Statement s = opened.get().createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            assertEquals("off", rs.getString(1));
        }
        assertEquals(1, db.count(table));
        assertEquals("on", db.value("SHOW synchronous_commit"), "other sessions keep the server's setting");
    }

    @Test
    void closeIsIdempotentReleasesTheConnectionAndLaterRecordsAreCounted() throws Exception {
        String application = "stogger-close-" + table;
        PostgresHandler handler = attach(PostgresSettings.builder()
                .dsn(db.dsn() + (db.dsn().contains("?") ? "&" : "?") + "application_name=" + application).table(table));
        logger.info("before-close");
        assertEquals("1", db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application + "'"));
        handler.close();
        handler.close();
        logger.info("after-close");
        assertEquals(new HandlerStats(1, 1, 0, 0), handler.stats());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"0".equals(db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application
                + "'")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("0", db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application
                + "'"));
        assertEquals(1, db.count(table));
    }

    @Test
    void theHandlersOwnWorkNeverBecomesRows() throws Exception {
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        java.util.logging.Handler[] rootHandlers = root.getHandlers();
        for (java.util.logging.Handler h : rootHandlers) {
            root.removeHandler(h);
        }
        root.setLevel(Level.ALL);
        PostgresHandler handler = new PostgresHandler(settings().build());
        root.addHandler(handler);
        try {
            Logger app = Logger.getLogger("com.example.app");
            for (int i = 0; i < 20; i++) {
                app.log(Level.FINEST, "app-finest");
                app.log(Level.INFO, "app-info", Fields.of("i", i));
            }
        } finally {
            root.removeHandler(handler);
            handler.close();
            root.setLevel(rootLevel);
            for (java.util.logging.Handler h : rootHandlers) {
                root.addHandler(h);
            }
        }
        assertEquals(List.of("com.example.app"), db.column("SELECT DISTINCT data->>'logger' FROM " + table));
        assertEquals(40, db.count(table));
        assertEquals(40, handler.stats().written());
    }

    @Test
    void schemaQualifiedTableIsCreatedInItsSchema() throws Exception {
        String schema = "s_" + table;
        try {
            PostgresHandler handler = new PostgresHandler(PostgresSettings.builder().dsn(db.dsn())
                    .table(schema + ".events").build());
            fixture.attach(handler);
            logger.info("qualified");
            assertEquals(1, db.count(schema + ".events"));
        } finally {
            db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void severalHandlersStartingAtOnceOnAFreshTableAllSucceed() throws Exception {
        int starters = 6;
        List<PostgresHandler> started = java.util.Collections.synchronizedList(new ArrayList<>());
        TestSupport.runConcurrently(starters, i -> started.add(new PostgresHandler(settings().build())));
        started.forEach(fixture::keep);
        for (PostgresHandler handler : started) {
            assertTrue(handler.isConnected(), "every concurrent start created or found the schema");
            handler.publish(new LogRecord(Level.INFO, "concurrent-start"));
        }
        assertEquals(starters, db.count(table));
    }
}
