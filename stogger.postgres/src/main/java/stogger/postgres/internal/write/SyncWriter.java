package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;

/**
 * The seed's write pattern: one INSERT per record, in autocommit, committed before
 * {@code accept} returns. The lock is held only for the write; rendering happens before, on the
 * caller's thread. A connection that broke is replaced at once and the record tried once more.
 * After a write ends a loss episode, its marker row is written right after, under the same lock.
 */
public final class SyncWriter implements RowSink {

    static final String WHILE_UNREACHABLE = "records are dropped and counted until it is reachable";

    private final ReentrantLock lock = new ReentrantLock();
    private final ConnectionKeeper keeper;
    private final SingleInsert insert;
    private final LossLedger ledger;

    public SyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger) {
        this.keeper = keeper;
        this.insert = new SingleInsert(schema);
        this.ledger = ledger;
    }

    /** What happens to records while the database is unreachable, for the outage line. */
    public static String whileUnreachable() {
        return WHILE_UNREACHABLE;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            keeper.connection();
        } finally {
            lock.unlock();
        }
    }

    /** Writes one row, or counts it as lost with its reason; never throws. */
    @Override
    public void accept(PostgresRow row) {
        lock.lock();
        try {
            Connection connection = keeper.connection();
            if (connection == null) {
                ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), "the database is unreachable; "
                        + WHILE_UNREACHABLE);
                return;
            }
            if (write(connection, row) == Outcome.UNREACHABLE) {
                Connection fresh = keeper.reconnectNow();
                if (fresh == null || write(fresh, row) == Outcome.UNREACHABLE) {
                    ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), "the connection broke and could"
                            + " not be replaced at once; " + WHILE_UNREACHABLE);
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
            return Outcome.WRITTEN;
        } catch (SQLException e) {
            Outcome outcome = keeper.failed(e);
            if (outcome == Outcome.REJECTED) {
                ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), "rejected by the server: "
                        + keeper.describe(e));
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
                if (keeper.failed(e) == Outcome.UNREACHABLE) {
                    ledger.unwritten(markers.subList(i, markers.size()));
                    return;
                }
            }
        }
    }

    /** Nothing is buffered: every accepted row is committed before {@code accept} returns. */
    @Override
    public void flush() {
    }

    @Override
    public long queued() {
        return 0;
    }

    @Override
    public boolean isConnected() {
        return keeper.isConnected();
    }

    /** Ends open loss episodes and writes their marker rows while it still can, then disconnects. */
    @Override
    public void close() {
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
