package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.ReplayThread;
import stogger.postgres.internal.spool.RowSpool;

/**
 * The seed's write pattern: one INSERT per record, in autocommit, committed before
 * {@code accept} returns. The lock is held only for the write; rendering happens before, on the
 * caller's thread. A connection that broke is replaced at once and the record tried once more.
 * After a write ends a loss episode, its marker row is written right after, under the same lock.
 * Nothing is buffered, so flush has nothing to do.
 *
 * <p>With a spool, a record the database cannot take now (unreachable, or refusing) is appended
 * to the spool instead, and {@code accept} returns once it is there; a {@link ReplayThread}
 * replays the spool under the same lock. With {@code spoolMode = always} every record goes to the
 * spool and only the replay thread writes.
 */
public final class SyncWriter implements RowSink {

    static final String WHILE_UNREACHABLE = "records are dropped and counted until it is reachable";

    private final ReentrantLock lock = new ReentrantLock();
    private final ConnectionKeeper keeper;
    private final SingleInsert insert;
    private final LossLedger ledger;
    private final long writeTimeoutMs;
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final RowSpool spool;
    private final ReplayThread replay;
    private String lastRefusal;

    /**
     * @param writeTimeoutMs the server's bound on a write, and so the longest a caller waits for
     *     the write before it
     */
    public SyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, int writeTimeoutMs) {
        this(keeper, schema, ledger, writeTimeoutMs, RowSpool.OFF);
    }

    /** A sync writer that spools what the database cannot take now, and replays it. */
    public SyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, int writeTimeoutMs, RowSpool spool) {
        this.keeper = keeper;
        this.insert = new SingleInsert(schema);
        this.ledger = ledger;
        this.writeTimeoutMs = writeTimeoutMs;
        this.spool = spool;
        this.replay = spool.enabled() ? new ReplayThread(spool, keeper, lock, this::writeMarkers,
                "stogger-postgres-replay[" + schema.table() + "]") : null;
    }

    /** What happens to records while the database is unreachable, for the outage line. */
    public static String whileUnreachable() {
        return WHILE_UNREACHABLE;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            keeper.start();
        } finally {
            lock.unlock();
        }
        if (replay != null) {
            replay.start();
        }
    }

    /**
     * Writes one row, or counts it as lost with its reason; never throws, and never waits longer
     * than about {@code writeTimeoutMs}: not for a write before it, not for a connection attempt.
     */
    @Override
    public void accept(PostgresRow row) {
        if (spool.always()) {
            spool.spool(List.of(row));
            return;
        }
        try {
            if (!lock.tryLock(writeTimeoutMs, TimeUnit.MILLISECONDS)) {
                ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the write before it was still running after"
                        + " writeTimeoutMs=" + writeTimeoutMs + "; this record was not waited for");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ledger.lost(LossReason.CLOSED, row.timestamp(), "the logging thread was interrupted");
            return;
        }
        try {
            if (!refusals.due() && spool.enabled()) {
                spool.spool(List.of(row));
                return;
            }
            if (!refusals.due()) {
                ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the server refuses writes for now ("
                        + lastRefusal + "); records are dropped and counted until it accepts them again");
                return;
            }
            Connection connection = keeper.connection();
            if (connection == null && spool.enabled()) {
                spool.spool(List.of(row));
                return;
            }
            if (connection == null) {
                ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), keeper.whyUnavailable() + "; "
                        + WHILE_UNREACHABLE);
                return;
            }
            if (write(connection, row) == Outcome.UNREACHABLE) {
                Connection fresh = keeper.reconnectNow();
                if (fresh == null || write(fresh, row) == Outcome.UNREACHABLE) {
                    if (spool.enabled()) {
                        spool.spool(List.of(row));
                    } else {
                        ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), "the connection broke and"
                                + " could not be replaced at once; " + WHILE_UNREACHABLE);
                    }
                }
            }
            writeMarkers();
        } finally {
            lock.unlock();
        }
    }

    /** Writes and counts a written or rejected row; an unreachable one is left to the caller. */
    private Outcome write(Connection connection, PostgresRow row) {
        long mark = ledger.mark();
        try {
            insert.write(connection, row);
            ledger.wrote(1, mark);
            refusals.succeeded();
            keeper.wrote();
            return Outcome.WRITTEN;
        } catch (SQLException e) {
            Outcome outcome = keeper.failed(e);
            switch (outcome) {
                case REJECTED -> ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), "rejected by the server: "
                        + keeper.describe(e));
                case REFUSED -> {
                    refusals.failed();
                    lastRefusal = keeper.describe(e);
                    if (spool.enabled()) {
                        spool.spool(List.of(row));
                        return outcome;
                    }
                    ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the server refuses writes for now: "
                            + lastRefusal + "; records are dropped and counted until it accepts them again");
                }
                case UNKNOWN -> ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), "the client's socket timed"
                        + " out, so the write may or may not have committed; not retried");
                default -> {
                }
            }
            return outcome;
        }
    }

    /** The marker rows of ended loss episodes; kept for the next write when they cannot be written now. */
    private void writeMarkers() {
        if (!ledger.hasMarkers()) {
            return;
        }
        Connection connection = keeper.connection();
        if (connection == null) {
            return;
        }
        List<PostgresRow> markers = ledger.takeMarkers();
        for (int i = 0; i < markers.size(); i++) {
            try {
                insert.write(connection, markers.get(i));
            } catch (SQLException e) {
                // A marker the server rejects would be rejected forever; its losses are on stderr already.
                if (keeper.failed(e) != Outcome.REJECTED) {
                    ledger.unwritten(markers.subList(i, markers.size()));
                    return;
                }
            }
        }
    }

    @Override
    public boolean isConnected() {
        return keeper.isConnected();
    }

    /** Ends open loss episodes and writes their marker rows while it still can, then disconnects. */
    @Override
    public void close() {
        if (replay != null) {
            replay.close(writeTimeoutMs + 1_000L);
        }
        lock.lock();
        try {
            ledger.endAll();
            // Only on a live connection: close never waits for a connection attempt.
            if (keeper.isConnected()) {
                writeMarkers();
            }
            keeper.close();
        } finally {
            lock.unlock();
        }
    }
}
