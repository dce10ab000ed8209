package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.Counters;

/**
 * The seed's write pattern: one INSERT per record, in autocommit, committed before
 * {@code accept} returns. The lock is held only for the write; rendering happens before, on the
 * caller's thread. A connection that broke is replaced at once and the record tried once more.
 */
public final class SyncWriter implements RowSink {

    private final ReentrantLock lock = new ReentrantLock();
    private final ConnectionKeeper keeper;
    private final SingleInsert insert;
    private final Counters counters;

    public SyncWriter(ConnectionKeeper keeper, Schema schema, Counters counters) {
        this.keeper = keeper;
        this.insert = new SingleInsert(schema);
        this.counters = counters;
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

    /** Writes one row, or counts it as dropped (unreachable) or failed; never throws. */
    @Override
    public void accept(PostgresRow row) {
        lock.lock();
        try {
            Connection connection = keeper.connection();
            if (connection == null) {
                counters.dropped(1);
            } else if (write(connection, row) == Outcome.UNREACHABLE) {
                Connection fresh = keeper.reconnectNow();
                if (fresh == null || write(fresh, row) == Outcome.UNREACHABLE) {
                    counters.failed(1);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes and counts a written or rejected row; an unreachable one is left to the caller. */
    private Outcome write(Connection connection, PostgresRow row) {
        try {
            insert.write(connection, row);
            counters.written(1);
            return Outcome.WRITTEN;
        } catch (SQLException e) {
            Outcome outcome = keeper.failed(e);
            if (outcome == Outcome.REJECTED) {
                counters.failed(1);
            }
            return outcome;
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

    @Override
    public void close() {
        lock.lock();
        try {
            keeper.close();
        } finally {
            lock.unlock();
        }
    }
}
