package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;

/** The asynchronous batched mode against a real PostgreSQL. */
class AsyncModeTest {

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

    private PostgresHandler attach(PostgresSettings.Builder settings) {
        return fixture.attach(settings);
    }

    private long outOfOrderRows() throws Exception {
        return Long.parseLong(db.value("SELECT count(*) FROM (SELECT (data->>'seq')::int - lag((data->>'seq')::int)"
                + " OVER (PARTITION BY data->>'worker' ORDER BY id) AS step FROM " + table + ") steps WHERE step <> 1"));
    }

    /**
     * The heap still in use after garbage collection: the smallest used heap over a few
     * collections, so that garbage a single collection left behind does not count.
     */
    private static long retainedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

    @Test
    void rowsBuiltOnTheWriterThreadCarryTheLoggingThreadsNameScopeAndCaller() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()));
        List<String> mutable = new ArrayList<>(List.of("first"));
        Thread worker = new Thread(() -> {
            try (stogger.core.LogScope scope = stogger.core.LogScope.open("checkout", "cart", 7)) {
                logger.log(Level.INFO, "order {0} paid", new Object[] {42, Fields.of("customer", "c-42")});
                logger.log(Level.INFO, "items", Fields.of("items", mutable));
            }
        }, "worker-named");
        worker.start();
        worker.join();
        mutable.add("added-after-the-call");
        handler.flush();
        assertEquals(List.of("order {0} paid|worker-named|checkout|7|c-42|order 42 paid|"
                + "stogger.postgres.AsyncModeTest.lambda$rowsBuiltOnTheWriterThreadCarryTheLoggingThreadsNameScopeAndCaller$0",
                "items|worker-named|checkout|7||[\"first\"]|"
                + "stogger.postgres.AsyncModeTest.lambda$rowsBuiltOnTheWriterThreadCarryTheLoggingThreadsNameScopeAndCaller$0"),
                db.column("SELECT concat_ws('|', event, data->>'thread', scope, data->>'cart', coalesce(data->>'customer',"
                + " ''), coalesce(data->>'message', data->>'items'), func) FROM " + table + " ORDER BY id"));
    }

    @Test
    void orderIsPreservedPerThreadAndCloseLosesNothing() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()).batchSize(500).queueCapacity(20_000));
        int threads = 4;
        int perThread = 5_000;
        TestSupport.runConcurrently(threads, worker -> {
            for (int i = 0; i < perThread; i++) {
                logger.log(Level.INFO, "work", Fields.of("worker", worker, "seq", i));
            }
        });
        handler.close();
        assertEquals(threads * perThread, db.count(table));
        assertEquals(0, outOfOrderRows());
        assertEquals(new HandlerStats(threads * perThread, 0, 0, 0), handler.stats());
    }

    @Test
    void flushReturnsOnceEverythingPublishedBeforeIsCommitted() throws Exception {
        // A batch would otherwise wait a minute to fill up.
        PostgresHandler handler = attach(async(db.dsn()).batchSize(10_000).flushIntervalMs(60_000));
        for (int i = 0; i < 100; i++) {
            logger.info("before-flush");
        }
        handler.flush();
        assertEquals(100, db.count(table));
        assertEquals(new HandlerStats(100, 0, 0, 0), handler.stats());
    }

    @Test
    void overflowDropsExactlyWhatDoesNotFitAndCloseCountsTheRest() throws Exception {
        try (TcpProxy down = new TcpProxy(db.host(), db.port())) {
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = attach(async(db.dsnAt("127.0.0.1", down.port())).queueCapacity(100)
                        .closeTimeoutMs(200));
                for (int i = 0; i < 1_000; i++) {
                    logger.info("overflow");
                }
                assertEquals(new HandlerStats(0, 900, 0, 100), handler.stats());
                handler.close();
                assertEquals(new HandlerStats(0, 1_000, 0, 0), handler.stats());
            });
            assertTrue(stderr.contains("closed with 100 records not written within closeTimeoutMs=200"), stderr);
        }
    }

    @Test
    void blockingOverflowWaitsForRoomInsteadOfDropping() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()).queueCapacity(10).batchSize(5).overflow("block")
                .blockTimeoutMs(5_000));
        for (int i = 0; i < 2_000; i++) {
            logger.log(Level.INFO, "blocked", Fields.of("worker", 0, "seq", i));
        }
        handler.flush();
        assertEquals(new HandlerStats(2_000, 0, 0, 0), handler.stats());
        assertEquals(0, outOfOrderRows());
    }

    @Test
    void callersWaitingForRoomAreReleasedAtOnceWhenTheConnectionGoes() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            PostgresHandler handler = attach(async(db.dsnAt("127.0.0.1", proxy.port())).queueCapacity(10).batchSize(10)
                    .overflow("block").blockTimeoutMs(60_000).flushTimeoutMs(30_000));
            logger.info("first");
            handler.flush();
            Thread caller = new Thread(() -> {
                for (int i = 0; i < 30; i++) {
                    logger.log(Level.INFO, "blocked", Fields.of("seq", i));
                }
            });
            String stderr;
            try (java.sql.Connection locker = db.connect()) {
                locker.setAutoCommit(false);
                locker.createStatement().execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
                // The writer's COPY waits for the lock; the queue fills and the caller waits for room.
                caller.start();
                TestSupport.awaitUntil(() -> caller.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(20));
                stderr = TestSupport.captureStderr(() -> {
                    proxy.down();
                    // Not after its 60 s blockTimeoutMs: nobody waits for a database that is gone.
                    caller.join(20_000);
                });
                locker.rollback();
            }
            assertFalse(caller.isAlive(), "the waiting caller is still blocked");
            assertTrue(stderr.contains("records lost (database-unreachable)"), stderr);
            assertFalse(stderr.contains("queue-full"), stderr);
            proxy.up();
            handler.flush();
            HandlerStats stats = handler.stats();
            assertTrue(stats.dropped() > 0, stats.toString());
            assertEquals(31, stats.written() + stats.lost(), stats.toString());
            assertEquals(stats.written(), fixture.seqRows() + 1);
        }
    }

    @Test
    void outageThenRecoveryWritesTheBacklogInOrder() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            PostgresHandler handler = attach(async(db.dsnAt("127.0.0.1", proxy.port())).flushTimeoutMs(30_000));
            for (int i = 0; i < 50; i++) {
                logger.log(Level.INFO, "stream", Fields.of("worker", 0, "seq", i));
            }
            handler.flush();
            assertEquals(50, db.count(table));
            String stderr = TestSupport.captureStderr(stderrSoFar -> {
                proxy.down();
                for (int i = 50; i < 250; i++) {
                    logger.log(Level.INFO, "stream", Fields.of("worker", 0, "seq", i));
                }
                // Wait (instead of a fixed sleep) until the writer has found the database
                // unreachable: only then is bringing it back a recovery, and only then does
                // "queued > 0" say that the outage keeps the records rather than losing them.
                TestSupport.awaitUntil(() -> stderrSoFar.get().contains("cannot write to")
                        && handler.stats().queued() > 0, Duration.ofSeconds(20),
                        () -> "the writer reports the outage with records queued; stats " + handler.stats()
                                + ", stderr so far: " + stderrSoFar.get());
                assertTrue(handler.stats().queued() > 0, handler.stats().toString());
                proxy.up();
                handler.flush();
            });
            assertEquals(250, db.count(table), stderr);
            assertEquals(0, outOfOrderRows());
            assertEquals(new HandlerStats(250, 0, 0, 0), handler.stats());
            assertTrue(stderr.contains("writing to") && stderr.contains("again after"), stderr);
        }
    }

    @Test
    void whatTheWriterThreadItselfLogsNeverComesBackIntoTheHandler() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()).batchSize(100).flushIntervalMs(60_000));
        // An error manager that logs its reports, to the same logger: the reports of the writer
        // thread (a rejected row here) reach the handler on the writer thread itself.
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        handler.setErrorManager(new java.util.logging.ErrorManager() {
            @Override
            public void error(String message, Exception e, int code) {
                seen.add(Thread.currentThread().getName());
                logger.log(Level.WARNING, "reported {0}", message);
            }
        });
        logger.info("first");
        handler.flush();
        db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_poison CHECK (event <> 'poison')");
        logger.info("poison");
        handler.flush();
        logger.info("last");
        handler.flush();
        assertTrue(seen.contains("stogger-postgres-writer[" + table + "]"), "the writer thread reported: " + seen);
        assertEquals(List.of("first", "last"), db.column("SELECT event FROM " + table
                + " WHERE event <> 'records-lost' ORDER BY id"), "no row of what the writer thread logged");
        assertEquals(new HandlerStats(2, 0, 1, 0), handler.stats());
    }

    @Test
    void aConnectionLostWhileABatchIsWrittenRowByRowWritesNoRowTwice() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()).batchSize(100).flushIntervalMs(60_000));
        logger.info("first");
        handler.flush();
        // The bad row sends the batch row by row; the row "kill" then ends its own session, once.
        db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_poison CHECK (event <> 'poison')");
        db.execute("CREATE SEQUENCE " + table + "_kills");
        db.execute("CREATE FUNCTION " + table + "_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.event ="
                + " 'kill' AND nextval('" + table + "_kills') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid());"
                + " END IF; RETURN NEW; END $$");
        db.execute("CREATE TRIGGER kill BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_kill()");
        try {
            String stderr = TestSupport.captureStderr(() -> {
                for (String event : List.of("good-1", "poison", "good-2", "kill", "good-3")) {
                    logger.info(event);
                }
                handler.flush();
            });
            assertEquals(List.of("first", "good-1", "good-2", "kill", "good-3"), db.column("SELECT event FROM " + table
                    + " WHERE event <> 'records-lost' ORDER BY id"), "rows written before the break are not written again");
            assertEquals(new HandlerStats(5, 0, 1, 0), handler.stats());
            assertTrue(stderr.contains("lost the connection"), stderr);
        } finally {
            db.execute("DROP TRIGGER kill ON " + table);
            db.execute("DROP FUNCTION " + table + "_kill()");
            db.execute("DROP SEQUENCE " + table + "_kills");
        }
    }

    @Test
    void aBadRowInsideABatchDoesNotLoseTheOthers() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()).batchSize(100).flushIntervalMs(60_000));
        logger.info("first");
        handler.flush();
        db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_poison CHECK (event <> 'poison')");
        String stderr = TestSupport.captureStderr(() -> {
            for (int i = 0; i < 10; i++) {
                logger.info(i == 5 ? "poison" : "good");
            }
            handler.flush();
        });
        assertEquals(List.of("10"), db.column("SELECT count(*) FROM " + table));
        assertEquals("0", db.value("SELECT count(*) FROM " + table + " WHERE event = 'poison'"));
        assertEquals(new HandlerStats(10, 0, 1, 0), handler.stats());
        assertTrue(stderr.contains("no_poison"), stderr);
    }

    @Test
    void aMillionEventBurstWhileTheDatabaseIsDownStaysWithinTheQueue() throws Exception {
        int capacity = 10_000;
        try (TcpProxy down = new TcpProxy(db.host(), db.port())) {
            TestSupport.captureStderr(() -> {
                PostgresHandler handler = attach(async(db.dsnAt("127.0.0.1", down.port())).queueCapacity(capacity)
                        .closeTimeoutMs(100));
                long before = retainedHeap();
                for (int i = 0; i < 1_000_000; i++) {
                    logger.log(Level.INFO, "burst", Fields.of("seq", i));
                }
                HandlerStats stats = handler.stats();
                assertEquals(capacity, stats.queued(), stats.toString());
                assertEquals(1_000_000 - capacity, stats.dropped(), stats.toString());
                long grown = retainedHeap() - before;
                System.out.println("heap growth after a 1,000,000-record burst with the database down: "
                        + grown / 1024 / 1024 + " MiB (queue of " + capacity + ")");
                // README, "Asynchronous mode", "Bounded memory": the handler holds at most
                // queueCapacity rows plus one batch in flight (batchSize rows), at about half a
                // kilobyte a row (about 8 MB with the defaults; 6 MiB measured with this queue of
                // 10,000). The bound allows 2 KiB a row, four times the README's row size, for
                // what a GC-based measurement picks up besides the queue: (10,000 + 1,000) rows
                // x 2 KiB = about 21 MiB. A handler that kept every one of the 1,000,000 records
                // would hold hundreds of MiB, far above it.
                long bound = (long) (capacity + PostgresSettings.DEFAULT_BATCH_SIZE) * 2 * 1024;
                assertTrue(grown <= bound, "the heap grew by " + grown / 1024 + " KiB after the burst, more than the"
                        + " bound of " + bound / 1024 + " KiB for " + capacity + " queued rows plus one batch");
                handler.close();
                assertEquals(new HandlerStats(0, 1_000_000, 0, 0), handler.stats());
            });
        }
    }

    @Test
    void publishAfterCloseIsDroppedAndCounted() throws Exception {
        PostgresHandler handler = attach(async(db.dsn()));
        logger.info("kept");
        handler.close();
        handler.close();
        logger.info("late");
        assertEquals(new HandlerStats(1, 1, 0, 0), handler.stats());
        assertEquals(1, db.count(table));
    }
}
