package stogger.postgres.internal.spool;

import java.sql.Connection;
import java.util.List;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;

/** {@link RowSpool#OFF}: the spool of a handler without {@code spoolDirectory}. */
final class NoSpool implements RowSpool {

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public boolean always() {
        return false;
    }

    @Override
    public void spool(List<PostgresRow> rows) {
        throw new IllegalStateException("no spool");
    }

    @Override
    public boolean hasBacklog() {
        return false;
    }

    @Override
    public Outcome replay(Connection connection, ConnectionKeeper keeper) {
        return null;
    }

    @Override
    public void prepare(Connection connection) {
    }

    @Override
    public void onBacklog(Runnable wake) {
    }

    @Override
    public long nanosUntilBatchDue(long flushIntervalNanos) {
        return Long.MAX_VALUE;
    }

    @Override
    public SpoolStats stats() {
        return SpoolStats.NONE;
    }

    @Override
    public String whileUnreachable() {
        return null;
    }

    @Override
    public void close() {
    }
}
