package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import stogger.postgres.internal.spool.RowSpool;

/**
 * How the async writer's batch ends for each answer of the server: every row written, lost for a
 * counted reason, or kept in the batch for the next connection. A trigger makes a row fail with the
 * SQLState its event names ({@code raise:55P03}), outwait the client's socket ({@code sleep}), or be
 * rejected once and then break the connection ({@code flaky}).
 */
class LiveBatchWriterTest {

    private static final int SOCKET_TIMEOUT_MS = 1_000;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final Schema schema = new Schema(TableName.parse(table, "table"));
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> reports.add(m), System::nanoTime, Instant::now);
    /** Long enough that "not due" after a refusal cannot turn into "due" while a test looks. */
    private final Backoff refusals = new Backoff(600_000, 600_000, System::nanoTime);
    private final List<Integer> completed = new ArrayList<>();
    private ConnectionKeeper keeper;
    private LiveBatchWriter writer;

    @BeforeEach
    void start() throws Exception {
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are dropped", System::nanoTime);
        keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, SOCKET_TIMEOUT_MS, true, 10_000, false),
                Connector.driverManager(), schema::ensure, reporter, new Backoff(100, 100, System::nanoTime));
        keeper.start();
        db.execute("CREATE SEQUENCE " + table + "_flaky");
        db.execute("CREATE FUNCTION " + table + "_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.event = 'flaky' THEN RAISE EXCEPTION 'flaky' USING ERRCODE = CASE WHEN nextval('" + table
                + "_flaky') = 1 THEN '23514' ELSE '57P01' END; END IF;"
                + " IF NEW.event LIKE 'raise:%' THEN RAISE EXCEPTION 'the test refuses %', NEW.event"
                + " USING ERRCODE = substr(NEW.event, 7, 5); END IF;"
                + " IF NEW.event = 'sleep' THEN PERFORM pg_sleep(" + (SOCKET_TIMEOUT_MS * 2 / 1000.0) + "); END IF;"
                + " RETURN NEW; END $$");
        db.execute("CREATE TRIGGER fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_fail()");
        writer = new LiveBatchWriter(keeper, schema, ledger, RowSpool.OFF, refusals, completed::add);
    }

    @AfterEach
    void cleanUp() throws Exception {
        keeper.close();
        db.drop(table);
        db.execute("DROP FUNCTION IF EXISTS " + table + "_fail()");
        db.execute("DROP FUNCTION IF EXISTS " + table + "_markers()");
        db.execute("DROP SEQUENCE IF EXISTS " + table + "_flaky");
    }

    private static PostgresRow row(String event) {
        LogRecord record = new LogRecord(Level.INFO, event);
        record.setInstant(Instant.now());
        return new PostgresRenderer().render(record);
    }

    private static List<PostgresRow> batch(String... events) {
        List<PostgresRow> rows = new ArrayList<>();
        for (String event : events) {
            rows.add(row(event));
        }
        return rows;
    }

    private static List<String> events(List<PostgresRow> rows) {
        return rows.stream().map(PostgresRow::event).collect(Collectors.toList());
    }

    private List<String> rowsInTable() throws Exception {
        return db.column("SELECT event FROM " + table + " ORDER BY id");
    }

    private Connection connection() {
        Connection connection = keeper.connection();
        assertNotNull(connection, "the keeper connected at start");
        return connection;
    }

    @Test
    void aBatchTheServerTakesIsWrittenWholeAndCounted() throws Exception {
        List<PostgresRow> batch = batch("a", "b", "c");
        assertTrue(writer.write(connection(), batch));
        assertEquals(List.of("a", "b", "c"), rowsInTable());
        assertEquals(3, ledger.written());
        assertEquals(0, ledger.lost());
        assertEquals(List.of(), completed, "a batch written whole is not resolved part by part");
    }

    @Test
    void aBatchWithARejectedRowIsWrittenRowByRowLosingOnlyThatRow() throws Exception {
        List<PostgresRow> batch = batch("a", "raise:23514", "b");
        assertTrue(writer.write(connection(), batch), "the connection is fine");
        assertEquals(List.of("a", "b"), rowsInTable());
        assertEquals(2, ledger.written());
        assertEquals(1, ledger.lost(LossReason.STATEMENT_FAILED));
        assertEquals(1, ledger.lost());
        assertTrue(reports.stream().anyMatch(r -> r.contains("rejected by the server: ")
                && r.contains("the test refuses raise:23514")), reports.toString());
        assertEquals(List.of(), completed, "every row was resolved");
        assertEquals(3, batch.size(), "the caller drops a batch resolved whole");
    }

    @Test
    void aRefusedBatchStaysWholeAndBacksOffUntilABatchIsWritten() throws Exception {
        List<PostgresRow> refused = batch("a", "raise:55P03");
        assertFalse(writer.write(connection(), refused));
        assertEquals(List.of("a", "raise:55P03"), events(refused), "kept for the retry");
        assertEquals(List.of(), rowsInTable());
        assertEquals(0, ledger.written());
        assertEquals(0, ledger.lost(), "a refusal loses nothing");
        assertFalse(refusals.due(), "the next try waits for the refusals' backoff");
        assertTrue(keeper.isConnected(), "a lock timeout does not need a new session");

        assertTrue(writer.write(connection(), batch("b")));
        assertTrue(refusals.due(), "a written batch resets the refusals' backoff");
        assertTrue(reports.stream().anyMatch(r -> r.startsWith("the server accepts writes again")), reports.toString());
    }

    @Test
    void aBatchWhoseConnectionBreaksStaysWholeAndUncounted() throws Exception {
        List<PostgresRow> batch = batch("a", "raise:57P01");
        assertFalse(writer.write(connection(), batch));
        assertEquals(List.of("a", "raise:57P01"), events(batch));
        assertEquals(List.of(), rowsInTable());
        assertEquals(0, ledger.lost());
        assertTrue(refusals.due(), "a broken connection is the keeper's backoff, not the refusals'");
        assertTrue(reports.stream().anyMatch(r -> r.contains("lost the connection")), reports.toString());
    }

    @Test
    void aBatchWhoseSocketTimesOutIsCountedAsLostAndNotKept() throws Exception {
        List<PostgresRow> batch = batch("a", "sleep");
        assertTrue(writer.write(connection(), batch), "resolved: the caller must not retry it");
        assertEquals(2, ledger.lost(LossReason.STATEMENT_FAILED));
        assertEquals(0, ledger.written());
        assertTrue(reports.stream().anyMatch(r -> r.contains("may or may not have committed; not retried")),
                reports.toString());
        assertEquals(List.of(), completed);
    }

    @Test
    void aRefusalDuringTheRowByRowRetryKeepsOnlyTheRowsNotYetResolved() throws Exception {
        List<PostgresRow> batch = batch("a", "raise:23514", "raise:55P03", "b");
        assertFalse(writer.write(connection(), batch));
        assertEquals(List.of("a"), rowsInTable());
        assertEquals(1, ledger.written());
        assertEquals(1, ledger.lost(LossReason.STATEMENT_FAILED), "only the rejected row");
        assertEquals(List.of(2), completed, "the written and the rejected row are resolved");
        assertEquals(List.of("raise:55P03", "b"), events(batch), "the rest waits for the retry");
        assertFalse(refusals.due(), "the refusal backs off");
    }

    @Test
    void aSocketTimeoutDuringTheRowByRowRetryLosesThatRowAndKeepsTheRest() throws Exception {
        List<PostgresRow> batch = batch("a", "raise:23514", "sleep", "b");
        assertFalse(writer.write(connection(), batch), "the connection whose socket timed out is gone");
        assertEquals(1, ledger.written());
        assertEquals(2, ledger.lost(LossReason.STATEMENT_FAILED), "the rejected row and the one that timed out");
        assertEquals(List.of(3), completed);
        assertEquals(List.of("b"), events(batch));
        assertTrue(refusals.due());
    }

    @Test
    void aBreakOnTheFirstRowOfTheRowByRowRetryKeepsTheWholeBatch() throws Exception {
        // "flaky" is rejected in the batch, then breaks the connection when written alone: no row is done.
        List<PostgresRow> batch = batch("flaky", "a");
        assertFalse(writer.write(connection(), batch));
        assertEquals(List.of(), completed, "nothing was resolved, so nothing is reported as resolved");
        assertEquals(List.of("flaky", "a"), events(batch));
        assertEquals(List.of(), rowsInTable());
        assertEquals(0, ledger.lost());
    }

    @Test
    void theMarkerRowOfAnEndedLossEpisodeIsWrittenAfterTheBatchThatEndedIt() throws Exception {
        ledger.lost(LossReason.QUEUE_FULL, Instant.now(), "a burst");
        assertTrue(writer.write(connection(), batch("a")));
        assertEquals(List.of("a", "records-lost"), rowsInTable());
        assertFalse(ledger.hasMarkers());
    }

    @Test
    void aMarkerRowTheServerRejectsIsDroppedNotRetriedForever() throws Exception {
        failMarkersWith("23514");
        ledger.lost(LossReason.QUEUE_FULL, Instant.now(), "a burst");
        assertTrue(writer.write(connection(), batch("a")), "the batch itself was written");
        assertEquals(List.of("a"), rowsInTable());
        assertFalse(ledger.hasMarkers(), "its loss is on stderr already");
    }

    @Test
    void aMarkerRowWhoseConnectionBreaksWaitsForTheNextBatch() throws Exception {
        failMarkersWith("57P01");
        ledger.lost(LossReason.QUEUE_FULL, Instant.now(), "a burst");
        assertFalse(writer.write(connection(), batch("a")), "the connection broke after the batch");
        assertEquals(List.of("a"), rowsInTable());
        assertEquals(1, ledger.written(), "the batch before the markers counts as written");
        assertTrue(ledger.hasMarkers(), "kept for the next batch");

        db.execute("DROP TRIGGER markers ON " + table);
        Connection next = keeper.reconnectNow();
        assertNotNull(next, "the keeper replaced the broken connection");
        assertTrue(writer.writeMarkers(next));
        assertEquals(List.of("a", "records-lost"), rowsInTable());
        assertFalse(ledger.hasMarkers());
    }

    @Test
    void withNoMarkersWaitingNothingIsWritten() throws Exception {
        assertTrue(writer.writeMarkers(connection()));
        assertEquals(List.of(), rowsInTable());
    }

    private void failMarkersWith(String sqlState) throws Exception {
        db.execute("CREATE FUNCTION " + table + "_markers() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.event = 'records-lost' THEN RAISE EXCEPTION 'no markers' USING ERRCODE = '" + sqlState
                + "'; END IF; RETURN NEW; END $$");
        db.execute("CREATE TRIGGER markers BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_markers()");
    }
}
