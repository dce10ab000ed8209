package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.IntConsumer;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.RowSpool;

/**
 * The async writer's batch, written on its thread: one statement for the whole batch
 * ({@link BatchInsert}, through the spool's {@link RowSpool#writeLive} so a batch's number commits
 * with it), row by row when the server rejects one of its rows, then the marker rows of loss
 * episodes that ended. Every row ends written, lost for a counted reason, or left in the batch
 * when the connection broke; the keeper decides what a failure means, this class only counts.
 */
final class LiveBatchWriter {

    private final ConnectionKeeper keeper;
    private final BatchInsert batches;
    private final SingleInsert single;
    private final LossLedger ledger;
    private final RowSpool spool;
    private final Backoff refusals;
    private final IntConsumer complete;

    /**
     * @param refusals the writer's backoff while the server refuses writes: failed or succeeded here
     * @param complete told how many rows of a batch were resolved when only its first part was
     */
    LiveBatchWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, RowSpool spool, Backoff refusals,
            IntConsumer complete) {
        this.keeper = keeper;
        this.batches = new BatchInsert(schema);
        this.single = new SingleInsert(schema);
        this.ledger = ledger;
        this.spool = spool;
        this.refusals = refusals;
        this.complete = complete;
    }

    /**
     * Writes the batch, resolving every row as written or failed; returns false, keeping the
     * unresolved rows in the batch, when the connection was lost.
     */
    boolean write(Connection connection, List<PostgresRow> batch) {
        long mark = ledger.mark();
        try {
            spool.writeLive(connection, batch, batches::write);
            ledger.wrote(batch.size(), mark);
        } catch (SQLException e) {
            Outcome outcome = keeper.batchFailed(e);
            if (outcome == Outcome.UNKNOWN) {
                // The COPY may have committed: counting it as lost may undercount, retrying may duplicate.
                lostAsUnknown(batch);
                return true;
            }
            if (outcome == Outcome.REFUSED) {
                refusals.failed();
            }
            if (outcome != Outcome.REJECTED || !writeOneByOne(connection, batch, mark)) {
                return false;
            }
        }
        refusals.succeeded();
        keeper.wrote();
        return writeMarkers(connection);
    }

    /**
     * The marker rows of ended loss episodes, in one statement after the batch that ended them;
     * returns false when the connection broke (they wait for the next batch).
     */
    boolean writeMarkers(Connection connection) {
        List<PostgresRow> markers = ledger.takeMarkers();
        if (markers.isEmpty()) {
            return true;
        }
        try {
            batches.write(connection, markers);
            return true;
        } catch (SQLException e) {
            // A marker the server rejects would be rejected forever; its losses are on stderr already.
            if (keeper.batchFailed(e) == Outcome.REJECTED) {
                return true;
            }
            ledger.unwritten(markers);
            return false;
        }
    }

    /** A batch rejected for one of its rows: each row on its own, so only the bad ones are lost. */
    private boolean writeOneByOne(Connection connection, List<PostgresRow> batch, long mark) {
        int done = 0;
        try {
            for (PostgresRow row : batch) {
                try {
                    single.write(connection, row);
                    ledger.wrote(1, mark);
                } catch (SQLException e) {
                    Outcome outcome = keeper.failed(e);
                    if (outcome == Outcome.UNKNOWN) {
                        lostAsUnknown(List.of(row));
                        done++;
                        return false;
                    }
                    if (outcome == Outcome.REFUSED) {
                        refusals.failed();
                    }
                    if (outcome != Outcome.REJECTED) {
                        return false;
                    }
                    ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), "rejected by the server: "
                            + keeper.describe(e));
                }
                done++;
            }
            return true;
        } finally {
            if (done > 0 && done < batch.size()) {
                complete.accept(done);
                batch.subList(0, done).clear();
            }
        }
    }

    private void lostAsUnknown(List<PostgresRow> rows) {
        ledger.lost(LossReason.STATEMENT_FAILED, rows, "the client's socket timed out, so the write may or may not have"
                + " committed; not retried");
    }
}
