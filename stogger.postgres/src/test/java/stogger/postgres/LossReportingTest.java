package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;

/**
 * Every lost record is counted three ways that agree with the table: stderr, the MBean and the
 * {@code records-lost} marker rows; and async mode pushes back instead of dropping.
 */
class LossReportingTest {

    private final HandlerFixture fixture = new HandlerFixture();
    private final TestDatabase db = fixture.db;
    private final String table = fixture.table;
    private final Logger logger = fixture.logger;

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresSettings.Builder async(String dsn) {
        return PostgresSettings.builder().dsn(dsn).table(table).mode("async").retryInitialMs(50).retryMaxMs(200);
    }

    private long records() throws Exception {
        return Long.parseLong(db.value("SELECT count(*) FROM " + table + " WHERE event <> 'records-lost'"));
    }

    private long markedLost(String reason) throws Exception {
        String sum = db.value("SELECT coalesce(sum((data->>'lost')::bigint), 0) FROM " + table
                + " WHERE event = 'records-lost' AND data->>'reason' = '" + reason + "'");
        return Long.parseLong(sum);
    }

    private Object mbean(String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("stogger:type=PostgresHandler,name=" + ObjectName.quote(table)), attribute);
    }

    @Test
    void handlersSharingATableGetMBeanNamesOfTheirOwnAndCloseUnregistersThem() throws Exception {
        javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName first = new ObjectName("stogger:type=PostgresHandler,name=" + ObjectName.quote(table));
        ObjectName second = new ObjectName("stogger:type=PostgresHandler,name=" + ObjectName.quote(table)
                + ",instance=2");
        PostgresHandler one = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table));
        PostgresHandler two = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table));
        assertTrue(server.isRegistered(first) && server.isRegistered(second));
        logger.info("both");
        assertEquals(1L, server.getAttribute(first, "Written"));
        assertEquals(1L, server.getAttribute(second, "Written"));
        one.close();
        assertTrue(!server.isRegistered(first) && server.isRegistered(second), "close unregisters its own only");
        two.close();
        assertTrue(!server.isRegistered(second));
    }

    @Test
    void aBurstWithDefaultSettingsBecomesEveryRow() throws Exception {
        // Above the default queue capacity (16384) either way; smaller under PIT, which runs it
        // for every writer mutant the faster tests leave alive (-Dstogger.test.burst=20000).
        int burst = Integer.getInteger("stogger.test.burst", 200_000);
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table).mode("async"));
        String stderr = TestSupport.captureStderr(() -> {
            for (int i = 0; i < burst; i++) {
                logger.log(Level.INFO, "burst", Fields.of("seq", i));
            }
            handler.close();
        });
        assertEquals(burst, records(), stderr);
        assertEquals(new HandlerStats(burst, 0, 0, 0), handler.stats());
        assertEquals("", stderr, "nothing lost, nothing to say");
    }

    @Test
    void forcedOverflowIsCountedAlikeOnStderrInTheMBeanAndInTheMarkerRows() throws Exception {
        int published = 5_000;
        PostgresHandler handler = fixture.attach(async(db.dsn()).overflow("drop").queueCapacity(10).batchSize(5));
        String stderr = TestSupport.captureStderr(() -> {
            for (int i = 0; i < published; i++) {
                logger.log(Level.INFO, "flood", Fields.of("seq", i));
            }
            handler.flush();
            long lost = (Long) mbean("LostQueueFull");
            assertTrue(lost > 0, "a queue of 10 must overflow under 5,000 records in a loop");
            assertEquals(lost, (Long) mbean("Dropped"));
            assertEquals(published - lost, (Long) mbean("Written"));
            assertEquals(Boolean.TRUE, mbean("Connected"));
            assertTrue(((String) mbean("LastSuccess")).startsWith("20"), (String) mbean("LastSuccess"));
            handler.close();
        });
        long missing = published - records();
        assertEquals(handler.stats().dropped(), missing, stderr);
        assertEquals(missing, markedLost("queue-full"), "marker rows");
        assertTrue(stderr.contains("closed; " + missing + " records lost since start (queue-full " + missing + ")"),
                stderr);
        assertTrue(stderr.startsWith("stogger.postgres: records lost (queue-full): the queue is full (10 records) and"
                + " overflow = drop; 1 lost since "), stderr);
        // What a reader runs to find the gaps: every sequence number is a row or inside a marker's count.
        assertEquals(published, Long.parseLong(db.value("SELECT count(DISTINCT data->>'seq') FROM " + table
                + " WHERE event = 'flood'")) + markedLost("queue-full"));
    }

    @Test
    void aStatementFailureEpisodeIsCountedExactlyEndedWithALineAndOneMarkerRow() throws Exception {
        PostgresHandler handler = fixture.attach(async(db.dsn()).batchSize(100).flushIntervalMs(60_000));
        logger.info("first");
        handler.flush();
        db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_bad CHECK (event <> 'bad')");
        String stderr = TestSupport.captureStderr(() -> {
            for (int i = 0; i < 30; i++) {
                logger.info("bad");
            }
            handler.flush();
            db.execute("ALTER TABLE " + table + " DROP CONSTRAINT no_bad");
            for (int i = 0; i < 10; i++) {
                logger.info("good");
            }
            handler.flush();
        });
        assertEquals(new HandlerStats(11, 0, 30, 0), handler.stats());
        assertEquals(11, records());
        assertEquals(30, markedLost("statement-failed"));
        assertEquals("1", db.value("SELECT count(*) FROM " + table + " WHERE event = 'records-lost'"));
        List<String> lines = stderr.lines().toList();
        assertEquals(2, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith("stogger.postgres: records lost (statement-failed): rejected by the server:")
                && lines.get(0).contains("no_bad") && lines.get(0).contains("[SQLState 23514]"), lines.get(0));
        assertTrue(lines.get(1).startsWith("stogger.postgres: writing again; 30 records lost (statement-failed) from "),
                lines.get(1));
        assertEquals(30L, mbean("LostStatementFailed"));
        assertTrue(((String) mbean("LastError")).contains("no_bad"), (String) mbean("LastError"));
    }

    @Test
    void closeWithRecordsItCannotWriteSaysHowManyByReason() throws Exception {
        try (TcpProxy down = new TcpProxy(db.host(), db.port())) {
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(async(db.dsnAt("127.0.0.1", down.port())).closeTimeoutMs(200));
                for (int i = 0; i < 50; i++) {
                    logger.info("stranded");
                }
                handler.close();
                assertEquals(new HandlerStats(0, 50, 0, 0), handler.stats());
            });
            assertTrue(stderr.contains("records are queued (0 of 16384) and dropped only once the queue is full"),
                    "an async outage line says what happens to records: " + stderr);
            assertTrue(stderr.lines().anyMatch(l -> l.equals("stogger.postgres: closed; 50 records lost since start"
                    + " (closed 50)")), stderr);
        }
    }

    @Test
    void aFullQueueDropsAtOnceWhileTheDatabaseIsUnreachableInsteadOfBlocking() throws Exception {
        try (TcpProxy down = new TcpProxy(db.host(), db.port())) {
            TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(async(db.dsnAt("127.0.0.1", down.port())).queueCapacity(10)
                        .overflow("block").blockTimeoutMs(60_000).closeTimeoutMs(100));
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    logger.info("while-down");
                }
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                // One wait of blockTimeoutMs would take a minute; 90 would take an hour and a half.
                assertTrue(tookMs < 30_000, "publishing took " + tookMs + " ms");
                assertEquals(90L, mbean("LostDatabaseUnreachable"));
                assertEquals(10L, mbean("Queued"));
                handler.close();
            });
        }
    }
}
