package stogger.postgres.internal.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.locks.ReentrantLock;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.loss.Counters;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * The seed's write pattern: one INSERT per record, on the prepared statement, in autocommit.
 * The lock is held only for the write; rendering happens before, on the caller's thread.
 */
public final class SyncWriter implements RowSink {

    private final ReentrantLock lock = new ReentrantLock();
    private final ConnectionKeeper keeper;
    private final Counters counters;
    private final FailureReporter reporter;

    public SyncWriter(ConnectionKeeper keeper, Counters counters, FailureReporter reporter) {
        this.keeper = keeper;
        this.counters = counters;
        this.reporter = reporter;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            keeper.insert();
        } finally {
            lock.unlock();
        }
    }

    /** Writes one row, or counts it as dropped or failed; never throws. */
    @Override
    public void accept(PostgresRow row) {
        lock.lock();
        try {
            PreparedStatement insert = keeper.insert();
            if (insert == null) {
                counters.dropped(1);
                return;
            }
            try {
                execute(insert, row);
                counters.written(1);
            } catch (SQLException first) {
                if (!keeper.isConnectionFailure(first)) {
                    counters.failed(1);
                    reporter.statementFailed(first);
                    return;
                }
                PreparedStatement fresh = keeper.replace(first);
                if (fresh == null) {
                    counters.failed(1);
                    return;
                }
                try {
                    execute(fresh, row);
                    counters.written(1);
                } catch (SQLException second) {
                    counters.failed(1);
                    if (keeper.isConnectionFailure(second)) {
                        keeper.lost(second);
                    } else {
                        reporter.statementFailed(second);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Binds a row to the INSERT of {@link Schema#insert()} and runs it. */
    static void execute(PreparedStatement insert, PostgresRow row) throws SQLException {
        insert.setObject(1, OffsetDateTime.ofInstant(row.timestamp(), ZoneOffset.UTC));
        insert.setString(2, row.level());
        insert.setString(3, row.event());
        insert.setString(4, row.func());
        insert.setString(5, row.scope());
        insert.setString(6, row.data().toString());
        insert.executeUpdate();
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
