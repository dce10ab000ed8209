package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stogger.core.PostgresRenderer;
import stogger.core.PostgresRow;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.ConnectionSettings;
import stogger.postgres.internal.connection.Connector;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.DiskSpool;
import stogger.postgres.internal.spool.RowSpool;
import stogger.postgres.internal.spool.SpoolSettings;

/** The async writer sleeps until it has work or an attempt is due, and wakes at once for flush and close. */
class AsyncWriterTest {

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final Schema schema = new Schema(TableName.parse(table, "table"));
    private final List<String> reports = new ArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> reports.add(m), System::nanoTime, Instant::now);
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();
    private AsyncWriter writer;

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null) {
            writer.close();
        }
        db.drop(table);
    }

    private AsyncWriter start(Connector connector, int retryMs, int flushIntervalMs) {
        return start(connector, retryMs, flushIntervalMs, 100);
    }

    private AsyncWriter start(Connector connector, int retryMs, int flushIntervalMs, int batchSize) {
        return start(connector, retryMs, new AsyncWriter.Limits(1_000, batchSize, flushIntervalMs, false, 0, 10_000, 500));
    }

    private AsyncWriter start(Connector connector, int retryMs, AsyncWriter.Limits limits) {
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are dropped", System::nanoTime);
        Connector counting = (url, properties) -> {
            attempts.incrementAndGet();
            Connection c = connector.connect(url, properties);
            opened.add(c);
            return c;
        };
        ConnectionKeeper keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, 10_000, true, 5_000, false), counting,
                schema::ensure, reporter, new Backoff(retryMs, retryMs, System::nanoTime));
        writer = new AsyncWriter(keeper, schema, ledger, reporter, limits, () -> { });
        writer.start();
        return writer;
    }

    /**
     * The CPU time the writer thread used while the caller slept {@code millis}: a thread that
     * sleeps uses next to none; one that spins instead of sleeping uses most of a core.
     */
    private long writerCpuMillisOver(long millis) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = writerThread().getId();
        long before = threads.getThreadCpuTime(id);
        Thread.sleep(millis);
        return TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(id) - before);
    }

    private Thread writerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("stogger-postgres-writer[" + table + "]")).findFirst()
                .orElseThrow(() -> new AssertionError("no writer thread"));
    }

    /** Waits up to 20 s for the table to hold {@code rows} rows; returns how many it holds. */
    private long awaitRows(long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long count = db.count(table);
        while (count < rows && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = db.count(table);
        }
        return count;
    }

    private static PostgresRow row() {
        LogRecord record = new LogRecord(Level.INFO, "row");
        record.setInstant(Instant.now());
        return new PostgresRenderer().render(record);
    }

    @Test
    void anIdleConnectedWriterSleepsWithoutWakingUp() throws Exception {
        start(Connector.driverManager(), 1_000, 10);
        writer.accept(row());
        writer.flush();
        assertEquals(1, db.count(table));
        assertTrue(writer.isConnected());
        long before = writer.writerWakeUps();
        long cpuMillis = writerCpuMillisOver(1_500);
        // A writer that polled every 10 ms, as the first version did, would have woken about 150 times;
        // one that spun instead of sleeping would have used most of a core.
        long wakeUps = writer.writerWakeUps() - before;
        assertTrue(wakeUps <= 1, "wake-ups while idle: " + wakeUps);
        assertTrue(cpuMillis < 300, "the idle writer used " + cpuMillis + " ms of CPU in 1.5 s");
        writer.accept(row());
        writer.flush();
        assertEquals(2, db.count(table), "a new row wakes it");
        assertTrue(writer.writerWakeUps() > before, "the new row woke the writer from its sleep");
    }

    @Test
    void whileTheDatabaseIsDownTheWriterSleepsUntilTheNextAttemptAndCloseWakesItAtOnce() throws Exception {
        start((url, properties) -> {
            throw new SQLException("password authentication failed", "28P01");
        }, 60_000, 10);
        for (int i = 0; i < 10; i++) {
            writer.accept(row());
        }
        assertFalse(writer.isConnected());
        long before = writer.writerWakeUps();
        long cpuMillis = writerCpuMillisOver(1_500);
        long wakeUps = writer.writerWakeUps() - before;
        assertTrue(wakeUps <= 1, "wake-ups while down: " + wakeUps);
        assertTrue(cpuMillis < 300, "the writer used " + cpuMillis + " ms of CPU in 1.5 s while the database was down");
        assertEquals(1, attempts.get(), "only the first attempt; the next is due after 60 s");
        assertEquals(10, writer.queued());
        long closing = System.nanoTime();
        writer.close();
        long closedAfterMs = (System.nanoTime() - closing) / 1_000_000;
        // close waits for the queue to drain within closeTimeoutMs (500 ms) and no longer, not for the 60 s backoff.
        assertTrue(closedAfterMs < 20_000, "close took " + closedAfterMs + " ms");
        assertEquals(10, ledger.dropped());
        assertEquals(0, writer.queued());
        assertTrue(reports.stream().anyMatch(r -> r.contains("closed with 10 records not written")), reports.toString());
    }

    @Test
    void aFlushWakesAWriterThatWaitsForItsBatchToFill() throws Exception {
        start(Connector.driverManager(), 1_000, 60_000);
        writer.accept(row());
        writer.accept(row());
        writer.flush();
        assertEquals(2, db.count(table));
        assertEquals(2, ledger.written());
    }

    @Test
    void aFullBatchIsWrittenAtOnceAndNoStatementTakesMoreThanBatchSizeRows() throws Exception {
        start(Connector.driverManager(), 1_000, 60_000, 10);
        writer.accept(row());
        // The writer takes the first row and waits for nine more, or for the 60 s flush interval.
        Thread.sleep(200);
        for (int i = 0; i < 9; i++) {
            writer.accept(row());
        }
        assertEquals(10, awaitRows(10), "a full batch does not wait for the flush interval");
        writer.accept(row());
        Thread.sleep(200);
        // Many rows at once while the writer waits for nine: it takes nine of them, not more.
        for (int i = 0; i < 25; i++) {
            writer.accept(row());
        }
        assertEquals(30, awaitRows(30), "full batches go at once");
        writer.flush();
        assertEquals(36, db.count(table));
        // Rows of one COPY share their transaction id.
        List<String> perStatement = db.column("SELECT count(*) FROM " + table + " GROUP BY xmin::text");
        assertTrue(perStatement.stream().mapToLong(Long::parseLong).allMatch(n -> n <= 10),
                "rows per statement with batchSize=10: " + perStatement);
    }

    @Test
    void closeClosesTheConnectionAndARowAfterCloseIsLostAsClosed() throws Exception {
        start(Connector.driverManager(), 1_000, 10);
        writer.accept(row());
        writer.flush();
        assertFalse(opened.isEmpty());
        writer.close();
        for (Connection c : opened) {
            assertTrue(c.isClosed(), "a connection is still open after close");
        }
        assertFalse(writer.isConnected());
        writer.accept(row());
        assertEquals(1, ledger.lost(LossReason.CLOSED));
        assertEquals(1, db.count(table));
    }

    @Test
    void closeWritesTheMarkerRowOfALossEpisodeStillOpen() throws Exception {
        start(Connector.driverManager(), 1_000, 10);
        writer.accept(row());
        writer.flush();
        ledger.lost(LossReason.QUEUE_FULL, Instant.now(), "dropped by the test");
        assertEquals("0", db.value("SELECT count(*) FROM " + table + " WHERE event = 'records-lost'"));
        writer.close();
        assertEquals("1", db.value("SELECT count(*) FROM " + table + " WHERE event = 'records-lost'"),
                "the episode the close ended has its marker row");
    }

    @Test
    void aFlushThatTimesOutReturnsAndSaysHowManyRecordsAreStillQueued() throws Exception {
        start((url, properties) -> {
            throw new SQLException("password authentication failed", "28P01");
        }, 60_000, new AsyncWriter.Limits(1_000, 100, 10, false, 0, 300, 500));
        for (int i = 0; i < 3; i++) {
            writer.accept(row());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), writer::flush, "flush waits flushTimeoutMs, not the 60 s backoff");
        assertEquals(3, writer.queued(), "a flush that times out drops nothing");
        assertTrue(reports.contains("flush timed out after 300 ms with 3 records still queued"), reports.toString());
    }

    @Test
    void aWriterThreadThatFailsSaysSoCountsItsRowsAndLeavesNoCallerWaiting() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        start((url, properties) -> failingCopy(DriverManager.getConnection(url, properties), broken), 1_000,
                new AsyncWriter.Limits(1_000, 100, 10, false, 0, 60_000, 500));
        writer.accept(row());
        writer.flush();
        assertEquals(1, db.count(table));
        Thread writerThread = writerThread();
        broken.set(true);
        for (int i = 0; i < 5; i++) {
            writer.accept(row());
        }
        // A flush must not wait its 60 s for a writer that died.
        assertTimeoutPreemptively(Duration.ofSeconds(30), writer::flush);
        assertTrue(reports.stream().anyMatch(r -> r.startsWith("the writer thread failed; records are no longer written")
                && r.contains("a driver bug")), reports.toString());
        assertEquals(5, ledger.lost(LossReason.CLOSED), "the rows the writer held are counted");
        assertTrue(reports.stream().anyMatch(r -> r.startsWith("records lost (closed): the writer thread failed")),
                reports.toString());
        assertEquals(0, writer.queued());
        assertEquals(1, db.count(table));
        writerThread.join(10_000);
        assertFalse(writerThread.isAlive());
        assertTrue(reports.stream().anyMatch(r -> r.startsWith("the marker rows of the last loss episodes were not written")),
                "the marker rows' own failure is reported: " + reports);
        assertTrue(opened.stream().allMatch(AsyncWriterTest::isClosed), "the dead writer's connection is closed");
        writer.close();
        assertFalse(reports.stream().anyMatch(r -> r.contains("closeTimeoutMs")), "nothing was lost to close: " + reports);
    }

    @Test
    void aCloseThatCannotStopTheWriterSaysSoAndReturns() throws Exception {
        start(Connector.driverManager(), 1_000, new AsyncWriter.Limits(1_000, 100, 10, false, 0, 10_000, 300));
        writer.accept(row());
        writer.flush();
        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
            writer.accept(row());
            // The writer's COPY waits for the lock up to the session's lock_timeout (5 s here),
            // longer than close waits (closeTimeoutMs + 1 s).
            Thread.sleep(200);
            assertTimeoutPreemptively(Duration.ofSeconds(30), writer::close);
            assertTrue(reports.stream().anyMatch(r -> r.startsWith("the writer did not stop within 300 ms;")),
                    reports.toString());
            locker.rollback();
        }
    }

    @Test
    void whileTheServerRefusesTheWriterSleepsBetweenAttemptsAndWritesTheRowsOnceItAccepts() throws Exception {
        start(Connector.driverManager(), 1_000, 10);
        writer.accept(row());
        writer.flush();
        db.execute("CREATE FUNCTION " + table + "_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
                + " 'No space left on device' USING ERRCODE = 'disk_full'; END $$");
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_full()");
        try {
            for (int i = 0; i < 5; i++) {
                writer.accept(row());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reports.stream().noneMatch(r -> r.contains("refuses writes")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Attempts every 100 ms doubling to 1 s: a writer that retried without sleeping would use most of a core.
            long cpuMillis = writerCpuMillisOver(1_500);
            assertTrue(cpuMillis < 300, "the writer used " + cpuMillis + " ms of CPU in 1.5 s while the server refused");
            assertEquals(5, writer.queued(), "refused rows wait in the queue");
        } finally {
            db.execute("DROP TRIGGER refuse ON " + table);
            db.execute("DROP FUNCTION " + table + "_full()");
        }
        writer.flush();
        assertEquals(6, db.count(table));
        assertEquals(0, ledger.dropped());
    }

    @Test
    void withEveryRowSpooledFirstAFewRowsWaitForTheFlushIntervalAsleepAndCloseReplaysThem(@TempDir Path spoolDir)
            throws Exception {
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are dropped", System::nanoTime);
        ConnectionKeeper keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, 10_000, true, 5_000, false),
                Connector.driverManager(), schema::ensure, reporter, new Backoff(1_000, 1_000, System::nanoTime));
        RowSpool spool = DiskSpool.open(new SpoolSettings(spoolDir, true, 1 << 20, false, 1_000, 100, true, 5_000),
                schema.table(), schema, ledger, (m, e, c) -> reports.add(m));
        writer = new AsyncWriter(keeper, schema, ledger, reporter, new AsyncWriter.Limits(1_000, 100, 60_000, false, 0,
                10_000, 500), () -> { }, spool);
        try {
            writer.start();
            for (int i = 0; i < 3; i++) {
                writer.accept(row());
            }
            // Three rows of a batch of 100 wait up to the 60 s flush interval; the writer sleeps meanwhile.
            long cpuMillis = writerCpuMillisOver(1_500);
            assertTrue(cpuMillis < 300, "the writer used " + cpuMillis + " ms of CPU in 1.5 s waiting for a replay batch");
            assertEquals(0, db.count(table), "a replay batch of 3 waits for more rows or the flush interval");
            writer.close();
            assertEquals(3, db.count(table), "close replays what is spooled while the database takes it");
            assertEquals(3, spool.stats().replayed());
        } finally {
            writer.close();
            spool.close();
        }
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The connection, whose COPY throws an unchecked exception once {@code broken} is set: a bug, not a failure. */
    private static Connection failingCopy(Connection real, AtomicBoolean broken) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (broken.get() && method.getName().equals("unwrap")) {
                        throw new IllegalStateException("a driver bug");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
