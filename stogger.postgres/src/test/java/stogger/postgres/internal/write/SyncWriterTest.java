package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

/** What the sync writer does with a caller or a write that does not end the ordinary way. */
class SyncWriterTest {

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final Schema schema = new Schema(TableName.parse(table, "table"));
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> reports.add(m), System::nanoTime, Instant::now);
    private SyncWriter writer;

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null) {
            writer.close();
        }
        db.drop(table);
    }

    /** A started sync writer; {@code socketTimeoutMs} bounds one network read, {@code writeTimeoutMs} a statement. */
    private SyncWriter start(Connector connector, int socketTimeoutMs, int writeTimeoutMs) {
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are dropped", System::nanoTime);
        ConnectionKeeper keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, socketTimeoutMs, true,
                writeTimeoutMs, false), connector, schema::ensure, reporter, new Backoff(100, 100, System::nanoTime));
        writer = new SyncWriter(keeper, schema, ledger, writeTimeoutMs);
        writer.start();
        return writer;
    }

    private static PostgresRow row(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setInstant(Instant.now());
        return new PostgresRenderer().render(record);
    }

    /** A transaction that holds the table's strongest lock until it is closed. */
    private Connection lockTable() throws SQLException {
        Connection locker = db.connect();
        locker.setAutoCommit(false);
        try (Statement statement = locker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return locker;
    }

    /** Waits up to 10 s for {@code thread} to be blocked or waiting. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() == Thread.State.RUNNABLE || thread.getState() == Thread.State.NEW) {
            assertTrue(System.nanoTime() < deadline, "the thread never waited: " + thread.getState());
            Thread.sleep(10);
        }
    }

    @Test
    void aCallerInterruptedWhileTheWriteBeforeItsOwnRunsIsCountedAsLostAndKeepsItsInterrupt() throws Exception {
        start(Connector.driverManager(), 20_000, 10_000);
        writer.accept(row("before"));
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        try (Connection locker = lockTable()) {
            // The first caller's INSERT waits for the lock; the second waits for the first's write.
            Thread first = new Thread(() -> writer.accept(row("first")));
            first.start();
            Thread.sleep(300);
            Thread second = new Thread(() -> {
                writer.accept(row("second"));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            second.start();
            awaitWaiting(second);
            second.interrupt();
            second.join(10_000);
            assertEquals(1, ledger.lost(LossReason.CLOSED), "the interrupted caller's record is counted");
            assertTrue(stillInterrupted.get(), "the caller's interrupt is kept for its own code");
            locker.rollback();
            first.join(10_000);
        }
        assertEquals(List.of("before", "first"), db.column("SELECT event FROM " + table + " ORDER BY id"));
        assertTrue(reports.stream().anyMatch(r -> r.startsWith("records lost (closed): the logging thread was interrupted")),
                reports.toString());
    }

    @Test
    void aSingleWriteWhoseSocketTimesOutIsCountedAsLostNotRetried() throws Exception {
        start(Connector.driverManager(), 1_000, 10_000);
        writer.accept(row("before"));
        try (Connection locker = lockTable()) {
            // The INSERT waits for the lock longer than the socket waits for its answer.
            writer.accept(row("timed out"));
            assertEquals(1, ledger.lost(LossReason.STATEMENT_FAILED), reports.toString());
            assertTrue(reports.stream().anyMatch(r -> r.contains("may or may not have committed; not retried")),
                    reports.toString());
            locker.rollback();
        }
        // The connection whose socket timed out is gone; the keeper's next attempt replaces it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!writer.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        writer.accept(row("after"));
        // The timed-out INSERT may still commit once the lock is gone; a retry would have written it twice.
        List<String> messages = db.column("SELECT event FROM " + table + " ORDER BY id");
        assertTrue(messages.stream().filter("timed out"::equals).count() <= 1, messages.toString());
        assertTrue(messages.containsAll(List.of("before", "after")), messages.toString());
        assertEquals(2, ledger.written());
    }

    @Test
    void aWriteThatFailsUncheckedCountsItsRowAsLostAndTheNextRowIsWritten() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        start((url, properties) -> failingPrepare(DriverManager.getConnection(url, properties), broken), 20_000, 10_000);
        // The single-row INSERT is prepared at the first write on a connection.
        broken.set(true);
        writer.accept(row("bug"));
        broken.set(false);
        writer.accept(row("after"));
        assertEquals(1, ledger.lost(LossReason.STATEMENT_FAILED));
        assertTrue(reports.stream().anyMatch(r -> r.contains("the write failed unexpectedly: java.lang.IllegalStateException:"
                + " a driver bug")), reports.toString());
        // The loss's marker row follows the write that ended its episode.
        assertEquals(List.of("after", "records-lost"), db.column("SELECT event FROM " + table + " ORDER BY id"));
    }

    /** The connection, whose statements throw an unchecked exception while {@code broken} is set: a bug, not a failure. */
    private static Connection failingPrepare(Connection real, AtomicBoolean broken) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (broken.get() && method.getName().equals("prepareStatement")) {
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
