package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;

/**
 * The write path against what production databases do: refuse every row for a while, lock the
 * table, disappear and come back. Records are numbered, and the table, the counters and stderr
 * must agree.
 */
class ProductionWritesTest {

    private final HandlerFixture fixture = new HandlerFixture();
    private final TestDatabase db = fixture.db;
    private final String table = fixture.table;
    private final Logger logger = fixture.logger;
    private final String flag = table + "_refuse";

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
        db.execute("DROP TABLE IF EXISTS " + flag);
        db.execute("DROP FUNCTION IF EXISTS " + flag + "_fn() CASCADE");
    }

    private void log(int seq) {
        logger.log(Level.INFO, "numbered", Fields.of("seq", seq));
    }

    private long rows() throws Exception {
        return Long.parseLong(db.value("SELECT count(*) FROM " + table + " WHERE event = 'numbered'"));
    }

    private long distinctSeqs() throws Exception {
        return Long.parseLong(db.value("SELECT count(DISTINCT data->>'seq') FROM " + table + " WHERE event = 'numbered'"));
    }

    /** A trigger that refuses every row as a full disk does (SQLState 53100) while the flag is on. */
    private void refuseLikeAFullDisk(boolean on) throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS " + flag + " (refusing boolean)");
        db.execute("DELETE FROM " + flag);
        db.execute("INSERT INTO " + flag + " VALUES (" + on + ")");
        db.execute("CREATE OR REPLACE FUNCTION " + flag + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF (SELECT bool_or(refusing) FROM " + flag + ") THEN RAISE EXCEPTION 'could not extend file"
                + " \"base/1/2\": No space left on device' USING ERRCODE = 'disk_full'; END IF; RETURN NEW; END $$");
        db.execute("DROP TRIGGER IF EXISTS refuse ON " + table);
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + flag
                + "_fn()");
    }

    @Test
    void aServerRefusingEveryRowForAWhileCostsAsyncModeNothingThatWaitedInTheQueue() throws Exception {
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table).mode("async"));
        logger.info("ready");
        handler.flush();
        refuseLikeAFullDisk(true);
        String stderr = TestSupport.captureStderr(err -> {
            for (int i = 0; i < 3_000; i++) {
                log(i);
            }
            TestSupport.awaitUntil(() -> err.get().contains("the server refuses writes for now"), Duration.ofSeconds(20));
            assertEquals(0, rows());
            refuseLikeAFullDisk(false);
            handler.flush();
        });
        assertEquals(3_000, rows(), stderr);
        assertEquals(3_000, distinctSeqs());
        assertEquals(new HandlerStats(3_001, 0, 0, 0), handler.stats());
        assertTrue(stderr.contains("No space left on device") && stderr.contains("[SQLState 53100]"), stderr);
        assertTrue(stderr.contains("records are kept in the queue ("), stderr);
        assertTrue(stderr.contains("the server accepts writes again after"), stderr);
    }

    @Test
    void aFullQueueWhileTheServerRefusesDropsAtOnceAsDatabaseRefusedEvenWithOverflowBlock() throws Exception {
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table).mode("async")
                .queueCapacity(100).overflow("block").blockTimeoutMs(60_000));
        logger.info("ready");
        handler.flush();
        refuseLikeAFullDisk(true);
        String stderr = TestSupport.captureStderr(err -> {
            log(0);
            TestSupport.awaitUntil(() -> err.get().contains("the server refuses writes for now"), Duration.ofSeconds(20));
            // Nobody waits for a server that refuses: each of these returns at once, not after blockTimeoutMs.
            for (int i = 1; i < 300; i++) {
                log(i);
            }
            refuseLikeAFullDisk(false);
            handler.flush();
        });
        HandlerStats stats = handler.stats();
        assertEquals(301, stats.written() + stats.lost(), stats.toString());
        assertTrue(stats.dropped() >= 199, "the queue holds 100 of the 300: " + stats);
        assertEquals(Long.toString(stats.dropped()), db.value("SELECT coalesce(sum((data->>'lost')::bigint), 0) FROM "
                + table + " WHERE event = 'records-lost' AND data->>'reason' = 'database-refused'"), stderr);
    }

    @Test
    void inSyncModeARefusedRecordIsDroppedAtOnceCountedWithTheServersReasonAndMarked() throws Exception {
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table));
        logger.info("ready");
        refuseLikeAFullDisk(true);
        String stderr = TestSupport.captureStderr(() -> {
            for (int i = 0; i < 200; i++) {
                log(i);
            }
            refuseLikeAFullDisk(false);
            Thread.sleep(1_200); // the longest refusal backoff is 1 s
            for (int i = 200; i < 210; i++) {
                log(i);
            }
        });
        HandlerStats stats = handler.stats();
        assertEquals(0, stats.failed(), "a refusal is not this record's fault");
        assertEquals(200, stats.dropped(), stderr);
        assertEquals(11, stats.written());
        assertEquals(10, rows());
        assertEquals("200", db.value("SELECT sum((data->>'lost')::bigint) FROM " + table
                + " WHERE event = 'records-lost' AND data->>'reason' = 'database-refused'"));
        assertTrue(stderr.contains("records lost (database-refused): the server refuses writes for now:")
                && stderr.contains("No space left on device"), stderr);
        assertTrue(stderr.contains("writing again; 200 records lost (database-refused)"), stderr);
    }

    @Test
    void aRevokedInsertPrivilegeCostsAsyncModeNothingOnceItIsGrantedAgain() throws Exception {
        // The owner creates the table with its indexes; the logging role may only insert.
        fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table)).close();
        try (stogger.postgres.internal.write.TestRole role = stogger.postgres.internal.write.TestRole.create(db)) {
            role.grantInsertOnly(table);
            PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(role.dsn()).table(table)
                    .mode("async"));
            logger.info("ready");
            handler.flush();
            String stderr = TestSupport.captureStderr(err -> {
                db.execute("REVOKE INSERT ON " + table + " FROM " + role.name());
                for (int i = 0; i < 2_000; i++) {
                    log(i);
                }
                TestSupport.awaitUntil(() -> err.get().contains("[SQLState 42501]"), Duration.ofSeconds(20));
                db.execute("GRANT INSERT ON " + table + " TO " + role.name());
                handler.flush();
                handler.close();
            });
            assertEquals(2_000, rows(), stderr);
            assertEquals(2_000, distinctSeqs());
            assertEquals(new HandlerStats(2_001, 0, 0, 0), handler.stats(), stderr);
            assertTrue(stderr.contains("the server refuses writes for now") && stderr.contains("permission denied"),
                    stderr);
        }
    }

    @Test
    void aRevokeThenGrantInSyncModeIsOneEpisodeWithAnExactCountAnEndLineAndOneMarkerRow() throws Exception {
        fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table)).close();
        try (stogger.postgres.internal.write.TestRole role = stogger.postgres.internal.write.TestRole.create(db)) {
            role.grantInsertOnly(table);
            PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(role.dsn()).table(table));
            logger.info("ready");
            String stderr = TestSupport.captureStderr(() -> {
                db.execute("REVOKE INSERT ON " + table + " FROM " + role.name());
                for (int i = 0; i < 20; i++) {
                    log(i);
                }
                db.execute("GRANT INSERT ON " + table + " TO " + role.name());
                Thread.sleep(1_200); // the longest refusal backoff is 1 s
                log(20);
            });
            HandlerStats stats = handler.stats();
            assertEquals(new HandlerStats(2, 20, 0, 0), stats, stderr); // "ready" and the record after the GRANT
            assertEquals(1, rows(), "the record after the GRANT");
            assertEquals("20", db.value("SELECT sum((data->>'lost')::bigint) FROM " + table
                    + " WHERE event = 'records-lost' AND data->>'reason' = 'database-refused'"));
            assertEquals("1", db.value("SELECT count(*) FROM " + table + " WHERE event = 'records-lost'"));
            assertEquals(1, stderr.lines().filter(l -> l.contains("writing again; 20 records lost (database-refused)"))
                    .count(), stderr);
            assertTrue(stderr.contains("permission denied") && stderr.contains("[SQLState 42501]"), stderr);
        }
    }

    @Test
    void aTableLockedLongerThanTheWriteTimeoutHoldsNoCallerLongerAndDuplicatesNothing() throws Exception {
        int writeTimeoutMs = 1_000;
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsn()).table(table)
                .writeTimeoutMs(writeTimeoutMs));
        logger.info("ready");
        AtomicLong longestMs = new AtomicLong();
        AtomicLong published = new AtomicLong();
        String stderr;
        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
            stderr = TestSupport.captureStderr(() -> {
                long lockedUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                TestSupport.runConcurrently(3, worker -> {
                    int seq = worker * 1_000;
                    while (System.nanoTime() < lockedUntil) {
                        long start = System.nanoTime();
                        log(seq++);
                        published.incrementAndGet();
                        longestMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    }
                });
                locker.commit();
                Thread.sleep(1_200);
                for (int i = 10_000; i < 10_010; i++) {
                    log(i);
                }
            });
        }
        // The lock lasted 5 s; a caller waits for the write before it and its own, each bounded by the server.
        assertTrue(longestMs.get() < 3 * writeTimeoutMs + 500, "longest publish: " + longestMs.get() + " ms");
        HandlerStats stats = handler.stats();
        assertEquals(rows(), distinctSeqs(), "no record was written twice");
        assertEquals(stats.written() - 1, rows());
        assertTrue(stats.dropped() > 0, stats.toString());
        // "ready", the workers' records and the 10 after the lock: each a row or counted as lost.
        assertEquals(1 + published.get() + 10, stats.written() + stats.lost(), "unaccounted records: " + stats);
        assertTrue(stderr.contains("[SQLState 55P03]") || stderr.contains("[SQLState 57014]"), stderr);
        assertTrue(rows() >= 10, "writing resumed after the lock: " + stats);
    }

    @Test
    void whileTheServerHangsNoCallerWaitsForAConnectAttempt() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsnAt("127.0.0.1", proxy.port()))
                    .table(table).connectTimeoutMs(4_000));
            logger.info("ready");
            AtomicLong longestMs = new AtomicLong();
            TestSupport.captureStderr(() -> {
                proxy.stall();
                for (int i = 0; i < 40; i++) {
                    long start = System.nanoTime();
                    log(i);
                    longestMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    Thread.sleep(50);
                }
            });
            // A connect attempt against the hanging server takes connectTimeoutMs (4 s); callers never wait for one.
            assertTrue(longestMs.get() < 2_000, "longest publish: " + longestMs.get() + " ms");
            assertEquals(40, handler.stats().dropped());
        }
    }

    @Test
    void afterALongOutageWritingResumesWithinAboutASecondOfTheServersReturn() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(db.dsnAt("127.0.0.1", proxy.port()))
                    .table(table));
            logger.info("ready");
            String stderr = TestSupport.captureStderr(() -> {
                proxy.down();
                // Long enough for the backoff to grow to 8 s (1, 2, 4, 8).
                for (int i = 0; i < 180; i++) {
                    log(i);
                    Thread.sleep(50);
                }
                long back = System.nanoTime();
                proxy.up();
                int seq = 1_000;
                while (handler.stats().written() < 2 && System.nanoTime() - back < Duration.ofSeconds(30).toNanos()) {
                    log(seq++);
                    Thread.sleep(20);
                }
                long resumedMs = (System.nanoTime() - back) / 1_000_000;
                // Without the probe the next attempt could be up to 8 s away.
                assertTrue(resumedMs < 3_000, "resumed " + resumedMs + " ms after the server came back");
            });
            assertTrue(stderr.contains("writing to") && stderr.contains("again after"), stderr);
            assertEquals(rows(), distinctSeqs());
        }
    }
}
