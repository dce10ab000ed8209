package stogger.postgres.internal.write;

import stogger.core.PostgresRow;

/**
 * Where the handler hands rendered rows: written at once ({@link SyncWriter}), queued
 * ({@link AsyncWriter}) or counted as lost ({@link DroppingSink}). A sink that buffers nothing
 * keeps the defaults of {@link #flush()} and {@link #queued()}.
 */
public interface RowSink extends AutoCloseable {

    /** Connects and creates the schema, as the seed does at start-up. */
    void start();

    /** Takes one row; never throws. Rows it cannot take are counted as dropped. */
    void accept(PostgresRow row);

    /** Returns once every row accepted before the call is written or resolved, or a timeout passed. */
    default void flush() {
    }

    /** Rows accepted but not yet written or counted as lost. */
    default long queued() {
        return 0;
    }

    /** Whether a connection is open now. */
    boolean isConnected();

    /** Writes what it can within its time limit, then releases the connection. */
    @Override
    void close();
}
