package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static stogger.postgres.internal.spool.SpoolRows.rows;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.ConnectionSettings;
import stogger.postgres.internal.connection.Connector;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.Schema;

/**
 * A replay batch that the server refuses, or whose connection breaks, whole or during the
 * row-by-row retry of a batch with a rejected row: the replay goes back to the last committed
 * position, and the next replay writes every remaining record exactly once. Run with the progress
 * table (exactly once) and without it (at least once). A trigger fails the records whose
 * {@code seq} the test names.
 */
class SpoolReplayFailuresTest {

    private static final int RECORDS = 10;

    @TempDir
    Path directory;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final TableName tableName = TableName.parse(table, "table");
    private final Schema schema = new Schema(tableName);
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> reports.add(m), System::nanoTime, Instant::now);
    private RowSpool spool;
    private ConnectionKeeper keeper;

    @AfterEach
    void cleanUp() throws Exception {
        if (keeper != null) {
            keeper.close();
        }
        if (spool != null) {
            spool.close();
        }
        db.drop(table);
        db.execute("DROP TABLE IF EXISTS " + table + "_spool");
        db.execute("DROP FUNCTION IF EXISTS " + table + "_fail()");
        db.execute("DROP SEQUENCE IF EXISTS " + table + "_once");
    }

    /** Spools the records 0 to 9, then connects; with {@code exactlyOnce} false the progress table cannot exist. */
    private void spoolAndConnect(boolean exactlyOnce) throws Exception {
        spool = open(exactlyOnce, 100);
        spool.spool(rows(0, RECORDS));
        SpoolRows.await(() -> spool.stats().spooled() == RECORDS, "every record spooled");
        connect();
        assertTrue(reports.stream().anyMatch(r -> r.contains(exactlyOnce ? "replay is exactly once"
                : "replay is at least once")), reports.toString());
    }

    private RowSpool open(boolean exactlyOnce, int batchSize) {
        return DiskSpool.open(new SpoolSettings(directory, false, 1 << 20, false, 1000, batchSize, exactlyOnce, 5000),
                tableName, schema, ledger, (m, e, c) -> reports.add(m));
    }

    /**
     * Makes the record {@code seq} fail with {@code sqlState}; with {@code once}, only the first
     * time a statement reaches it. Record 3 is always rejected when {@code rejectThree}.
     */
    private void failRecord(int seq, String sqlState, boolean once, boolean rejectThree) throws Exception {
        db.execute("CREATE SEQUENCE " + table + "_once");
        db.execute("CREATE FUNCTION " + table + "_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + (rejectThree ? " IF NEW.data->>'seq' = '3' THEN RAISE EXCEPTION 'three' USING ERRCODE = '23514';"
                        + " END IF;" : "")
                + " IF NEW.data->>'seq' = '" + seq + "' AND (NOT " + once + " OR nextval('" + table + "_once') = 1)"
                + " THEN RAISE EXCEPTION 'the test fails %', NEW.data->>'seq' USING ERRCODE = '" + sqlState + "';"
                + " END IF; RETURN NEW; END $$");
        db.execute("CREATE TRIGGER fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_fail()");
    }

    private Connection connection() {
        Connection connection = keeper.connection();
        if (connection == null) {
            connection = keeper.reconnectNow();
        }
        assertNotNull(connection, "the keeper has a connection");
        return connection;
    }

    private List<Long> seqs() throws Exception {
        return db.column("SELECT data->>'seq' FROM " + table + " ORDER BY id").stream().map(Long::valueOf)
                .collect(Collectors.toList());
    }

    private static List<Long> allBut(long... missing) {
        return LongStream.range(0, RECORDS).filter(s -> LongStream.of(missing).noneMatch(m -> m == s)).boxed()
                .collect(Collectors.toList());
    }

    /** Replays until the spool is empty (at most a few batches), asserting each ends written. */
    private void replayRest() {
        for (int i = 0; i < 5 && spool.hasBacklog(); i++) {
            assertEquals(Outcome.WRITTEN, spool.replay(connection(), keeper), reports.toString());
        }
        assertEquals(0, spool.stats().spooled(), spool.stats().toString());
        assertNull(spool.replay(connection(), keeper), "nothing is left to replay");
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aRefusedReplayBatchIsReplayedWholeOnceTheServerTakesIt(boolean exactlyOnce) throws Exception {
        spoolAndConnect(exactlyOnce);
        failRecord(5, "55P03", true, false);
        assertEquals(Outcome.REFUSED, spool.replay(connection(), keeper));
        assertEquals(List.of(), seqs(), "the batch is one transaction");
        assertEquals(RECORDS, spool.stats().spooled(), "still spooled");
        assertEquals(0, spool.stats().replayed());
        replayRest();
        assertEquals(allBut(), seqs(), "every record once, in order");
        assertEquals(RECORDS, spool.stats().replayed());
        assertEquals(RECORDS, ledger.written());
        assertEquals(0, ledger.lost());
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aReplayBatchWhoseConnectionBreaksIsReplayedWholeOnTheNextConnection(boolean exactlyOnce) throws Exception {
        spoolAndConnect(exactlyOnce);
        failRecord(5, "57P01", true, false);
        assertEquals(Outcome.UNREACHABLE, spool.replay(connection(), keeper));
        assertEquals(List.of(), seqs());
        assertEquals(RECORDS, spool.stats().spooled());
        replayRest();
        assertEquals(allBut(), seqs());
        assertEquals(0, ledger.lost());
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aRefusalDuringTheRowByRowRetryKeepsWhatWasCommittedAndReplaysTheRestOnce(boolean exactlyOnce)
            throws Exception {
        spoolAndConnect(exactlyOnce);
        // The batch stops at record 3 (rejected), so record 4's first failure comes in the row-by-row
        // retry, right after the rejected record: the replay goes back to the position after record 3.
        failRecord(4, "55P03", true, true);
        assertEquals(Outcome.REFUSED, spool.replay(connection(), keeper));
        assertEquals(List.of(0L, 1L, 2L), seqs(), "each row before the refusal committed on its own");
        assertEquals(1, ledger.lost(LossReason.STATEMENT_FAILED), "record 3");
        assertEquals(RECORDS - 4, spool.stats().spooled(), "records 4 to 9 wait");
        assertEquals(3, spool.stats().replayed());
        replayRest();
        assertEquals(allBut(3), seqs(), "the rest once, after the retry");
        assertEquals(RECORDS - 1, spool.stats().replayed());
        assertEquals(RECORDS - 1, ledger.written());
        assertEquals(1, ledger.lost(), "record 3 is counted once, not again after the retry");
        assertTrue(reports.stream().anyMatch(r -> r.contains("a spooled record was rejected by the server")
                && r.contains("three")), reports.toString());
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aBreakDuringTheRowByRowRetryKeepsWhatWasCommittedAndReplaysTheRestOnce(boolean exactlyOnce)
            throws Exception {
        spoolAndConnect(exactlyOnce);
        failRecord(5, "57P01", true, true);
        assertEquals(Outcome.UNREACHABLE, spool.replay(connection(), keeper));
        assertEquals(List.of(0L, 1L, 2L, 4L), seqs());
        assertEquals(RECORDS - 5, spool.stats().spooled());
        replayRest();
        assertEquals(allBut(3), seqs());
        assertEquals(1, ledger.lost());
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aBatchOfRejectedRecordsOnlyIsPassedAndCountedRecordByRecord(boolean exactlyOnce) throws Exception {
        spoolAndConnect(exactlyOnce);
        db.execute("CREATE FUNCTION " + table + "_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'none' USING ERRCODE = '23514'; END $$");
        db.execute("CREATE TRIGGER fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                + "_fail()");
        assertEquals(Outcome.WRITTEN, spool.replay(connection(), keeper), "the batch is resolved");
        assertEquals(List.of(), seqs());
        assertEquals(RECORDS, ledger.lost(LossReason.STATEMENT_FAILED));
        assertEquals(0, spool.stats().spooled(), "nothing is left to replay");
        assertEquals(0, spool.stats().replayed(), "lost records are not replayed ones");
        assertNull(spool.replay(connection(), keeper));
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {true, false})
    void aRestartAfterAPartlyReplayedSpoolReplaysOnlyWhatFollowsTheLastReplayedBatch(boolean exactlyOnce)
            throws Exception {
        spoolAndConnect(exactlyOnce);
        spool.close();
        spool = open(exactlyOnce, 4);
        connect();
        assertEquals(Outcome.WRITTEN, spool.replay(connection(), keeper));
        assertEquals(List.of(0L, 1L, 2L, 3L), seqs());
        spool.close();

        spool = open(exactlyOnce, 100);
        // The restart's recovery counts the spool in the background.
        SpoolRows.await(() -> spool.stats().spooled() >= RECORDS - 4, "the restart counted the spool");
        assertEquals(RECORDS - 4, spool.stats().spooled(), "the restart counts only what was not replayed");
        connect();
        replayRest();
        assertEquals(allBut(), seqs(), "every record once");
    }

    /** A new keeper, in place of any earlier one, whose connections prepare the spool open now. */
    private void connect() {
        if (keeper != null) {
            keeper.close();
        }
        ConnectionTarget target = Dsn.parse(db.dsn(), null, "dsn");
        FailureReporter reporter = new FailureReporter((m, e, c) -> reports.add(m), target, ledger::lost,
                () -> "records are spooled", System::nanoTime);
        keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, 10_000, true, 10_000, false),
                Connector.driverManager(), connection -> {
                    schema.ensure(connection);
                    spool.prepare(connection);
                }, reporter, new Backoff(100, 100, System::nanoTime));
        keeper.start();
    }
}
