package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

/** The async writer sleeps until it has work or an attempt is due, and wakes at once for flush and close. */
class AsyncWriterTest {

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final Schema schema = new Schema(TableName.parse(table, "table"));
    private final List<String> reports = new ArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> reports.add(m), System::nanoTime, Instant::now);
    private final AtomicInteger attempts = new AtomicInteger();
    private AsyncWriter writer;

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null) {
            writer.close();
        }
        db.drop(table);
    }

    private AsyncWriter start(Connector connector, int retryMs, int flushIntervalMs) {
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are dropped", System::nanoTime);
        Connector counting = (url, properties) -> {
            attempts.incrementAndGet();
            return connector.connect(url, properties);
        };
        ConnectionKeeper keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, 10_000, true, 5_000, false), counting,
                schema::ensure, reporter, new Backoff(retryMs, retryMs, System::nanoTime));
        writer = new AsyncWriter(keeper, schema, ledger, reporter, new AsyncWriter.Limits(1_000, 100,
                flushIntervalMs, false, 0, 10_000, 500), () -> { });
        writer.start();
        return writer;
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
        long before = writer.writerWakeUps();
        Thread.sleep(500);
        // A writer that polled every 10 ms, as the first version did, would have woken about 50 times.
        assertTrue(writer.writerWakeUps() - before <= 1, "wake-ups while idle: " + (writer.writerWakeUps() - before));
        writer.accept(row());
        writer.flush();
        assertEquals(2, db.count(table), "a new row wakes it");
    }

    @Test
    void whileTheDatabaseIsDownTheWriterSleepsUntilTheNextAttemptAndCloseWakesItAtOnce() throws Exception {
        start((url, properties) -> {
            throw new SQLException("password authentication failed", "28P01");
        }, 60_000, 10);
        for (int i = 0; i < 10; i++) {
            writer.accept(row());
        }
        long before = writer.writerWakeUps();
        Thread.sleep(500);
        assertTrue(writer.writerWakeUps() - before <= 1, "wake-ups while down: " + (writer.writerWakeUps() - before));
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
}
