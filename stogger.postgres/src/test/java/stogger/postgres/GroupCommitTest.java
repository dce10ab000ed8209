package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;

/**
 * Sync mode's group commit against a real server: records logged at the same time from several
 * threads share transactions, each {@code publish} still returns only once its own row is
 * committed, and a row the server rejects inside a group costs only itself.
 */
class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 300;

    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table);
    }

    @Test
    void concurrentRecordsShareTransactionsAndEachIsCommittedWhenItsPublishReturns() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        AtomicInteger notYetVisible = new AtomicInteger();
        TestSupport.runConcurrently(THREADS, t -> {
            try (Connection reader = fixture.db.connect(); PreparedStatement visible = reader.prepareStatement(
                    "SELECT count(*) FROM " + fixture.table + " WHERE (data->>'seq')::int = ?")) {
                for (int i = 0; i < PER_THREAD; i++) {
                    int seq = t * PER_THREAD + i;
                    fixture.logger.log(Level.INFO, "grouped", Fields.of("seq", seq));
                    if (i % 25 == 0) {
                        // Another session sees the row as soon as publish returned: it was committed.
                        visible.setInt(1, seq);
                        try (ResultSet rs = visible.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) != 1) {
                                notYetVisible.incrementAndGet();
                            }
                        }
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        int rows = THREADS * PER_THREAD;
        assertEquals(0, notYetVisible.get(), "records whose publish returned before they were committed");
        assertEquals(new HandlerStats(rows, 0, 0, 0), handler.stats());
        assertEquals(List.of(rows + " " + rows), fixture.db.column("SELECT count(*) || ' ' || count(DISTINCT"
                + " data->>'seq') FROM " + fixture.table));
        long transactions = Long.parseLong(fixture.db.value("SELECT count(DISTINCT xmin::text) FROM "
                + fixture.table));
        assertTrue(transactions < rows, "every record had a transaction of its own: " + transactions);
        // Rows of one thread keep their order: its records were logged one after the other.
        assertEquals("0", fixture.db.value("SELECT count(*) FROM (SELECT (data->>'seq')::int - lag((data->>'seq')::int)"
                + " OVER (PARTITION BY (data->>'seq')::int / " + PER_THREAD + " ORDER BY id) AS step FROM "
                + fixture.table + ") s WHERE step <> 1"));
    }

    @Test
    void aRejectedRowInAGroupIsLostAloneAndItsNeighboursAreWritten() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        fixture.logger.info("created");
        fixture.db.execute("ALTER TABLE " + fixture.table + " ADD CONSTRAINT no_bad CHECK (event <> 'bad')");
        String stderr = TestSupport.captureStderr(() -> TestSupport.runConcurrently(THREADS, t -> {
            for (int i = 0; i < 100; i++) {
                fixture.logger.log(Level.INFO, i % 10 == 3 ? "bad" : "good", Fields.of("seq", t * 100 + i));
            }
        }));
        int bad = THREADS * 10;
        int good = THREADS * 100 - bad;
        assertEquals(new HandlerStats(1 + good, 0, bad, 0), handler.stats());
        assertEquals(String.valueOf(good), fixture.db.value("SELECT count(DISTINCT data->>'seq') FROM "
                + fixture.table + " WHERE event = 'good'"));
        assertTrue(stderr.contains("23514"), "the server's reason: " + stderr);
    }
}
