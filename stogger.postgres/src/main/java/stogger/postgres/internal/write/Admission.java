package stogger.postgres.internal.write;

import java.util.List;
import java.util.concurrent.TimeUnit;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.RowSpool;

/**
 * What becomes of a row a caller hands to the async writer, decided on the caller's thread:
 * queued (with overflow {@code block}, waiting at most {@code blockTimeoutMs}, but only while the
 * database takes writes: nobody waits on one that is down or refusing), spooled (with
 * {@code spoolMode = always}, or when the queue is full and the database cannot take rows now), or
 * lost with its reason ({@code queue-full}, {@code database-refused}, {@code database-unreachable}).
 */
final class Admission {

    private final RowQueue queue;
    private final ConnectionKeeper keeper;
    private final RowSpool spool;
    private final LossLedger ledger;
    private final AsyncWriter.Limits limits;
    private volatile boolean refusing;

    Admission(RowQueue queue, ConnectionKeeper keeper, RowSpool spool, LossLedger ledger, AsyncWriter.Limits limits) {
        this.queue = queue;
        this.keeper = keeper;
        this.spool = spool;
        this.ledger = ledger;
        this.limits = limits;
    }

    /** The writer's word: the server refuses writes for now (or no longer). */
    void refusing(boolean refusing) {
        this.refusing = refusing;
    }

    /**
     * Queues, spools or drops the row.
     *
     * @return true when the row went into the queue; false when it was spooled or counted as lost
     */
    boolean admit(PostgresRow row) {
        if (spool.always()) {
            spool.spool(List.of(row));
            return false;
        }
        boolean taken;
        // Nobody waits on a database that is down or refusing: then a full queue drops at once.
        if (limits.block() && keeper.isConnected() && !refusing) {
            try {
                taken = queue.offer(row, TimeUnit.MILLISECONDS.toNanos(limits.blockTimeoutMs()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taken = false;
            }
        } else {
            taken = queue.offer(row);
        }
        if (taken) {
            return true;
        }
        if (spool.enabled() && (refusing || !keeper.isConnected())) {
            spool.spool(List.of(row));
        } else if (refusing) {
            ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the server refuses writes for now and the"
                    + " queue is full (" + limits.queueCapacity() + " records)");
        } else if (keeper.isConnected()) {
            ledger.lost(LossReason.QUEUE_FULL, row.timestamp(), "the queue is full (" + limits.queueCapacity()
                    + " records)" + (limits.block() ? " for longer than blockTimeoutMs=" + limits.blockTimeoutMs()
                    : " and overflow = drop"));
        } else {
            ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), "the database is unreachable and the"
                    + " queue is full (" + limits.queueCapacity() + " records)");
        }
        return false;
    }
}
