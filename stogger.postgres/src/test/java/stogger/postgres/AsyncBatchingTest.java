package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code batchSize} and {@code flushIntervalMs} of async mode (README: PostgresHandler keys):
 * a batch holds at most batchSize rows, a full batch is written at once, a partial one waits up
 * to flushIntervalMs to fill (or until flush()). Rows of one batch share one transaction, so
 * their {@code xmin} tells which batch wrote them.
 */
class AsyncBatchingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresSettings.Builder async() {
        return PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table).mode("async");
    }

    private long rows() {
        try {
            return fixture.db.count(fixture.table);
        } catch (java.sql.SQLException e) {
            // The writer creates the table at start; until then there are no rows.
            return -1;
        }
    }

    /** The number of rows of each transaction that wrote to the table, largest first. */
    private List<String> rowsPerTransaction() throws Exception {
        return fixture.db.column("SELECT count(*) FROM " + fixture.table + " GROUP BY xmin::text ORDER BY 1 DESC");
    }

    @Test
    void noBatchHoldsMoreThanBatchSizeRows() throws Exception {
        PostgresHandler handler = fixture.attach(async().batchSize(7).flushIntervalMs(1_000));
        for (int i = 0; i < 100; i++) {
            fixture.logger.info("e" + i);
        }
        handler.flush();
        assertEquals(100, fixture.db.count(fixture.table));
        List<String> sizes = rowsPerTransaction();
        assertTrue(Integer.parseInt(sizes.get(0)) <= 7, "rows per transaction: " + sizes);
        assertTrue(sizes.size() >= 15, "100 rows in batches of at most 7: " + sizes);
        assertEquals(new HandlerStats(100, 0, 0, 0), handler.stats());
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheInterval() throws Exception {
        PostgresHandler handler = fixture.attach(async().batchSize(5).flushIntervalMs(60_000));
        for (int i = 0; i < 5; i++) {
            fixture.logger.info("e" + i);
        }
        TestSupport.awaitUntil(() -> rows() == 5, DEADLINE, () -> rows() + " rows");
        assertEquals(List.of("5"), rowsPerTransaction(), "one batch");
        assertEquals(5, handler.stats().written());
    }

    @Test
    void aPartialBatchWaitsForTheIntervalOrFlush() throws Exception {
        PostgresHandler handler = fixture.attach(async().batchSize(1_000).flushIntervalMs(60_000));
        for (int i = 0; i < 3; i++) {
            fixture.logger.info("e" + i);
        }
        // Well inside the 60 s interval: the batch is still filling.
        Thread.sleep(1_500);
        assertEquals(0, rows());
        assertEquals(3, handler.stats().queued());
        handler.flush();
        assertEquals(3, rows());
        assertEquals(List.of("3"), rowsPerTransaction(), "one batch");
        assertEquals(new HandlerStats(3, 0, 0, 0), handler.stats());
    }

    @Test
    void aPartialBatchIsWrittenOnceTheIntervalHasPassed() throws Exception {
        PostgresHandler handler = fixture.attach(async().batchSize(1_000).flushIntervalMs(200));
        fixture.logger.info("alone");
        TestSupport.awaitUntil(() -> rows() == 1, DEADLINE, () -> rows() + " rows");
        assertEquals(1, handler.stats().written());
    }
}
