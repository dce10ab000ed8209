package stogger.postgres.internal.spool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;

/**
 * The writers' hook into the durable spool: "these rows cannot be written now, keep them" and
 * "the database takes writes: replay a batch". Without {@code spoolDirectory} it is {@link #OFF},
 * a do-nothing object decided at construction, so a writer without a spool takes no other path.
 */
public interface RowSpool extends AutoCloseable {

    /** No spool: nothing is kept, there is never anything to replay. */
    RowSpool OFF = new NoSpool();

    /** Whether rows can be spooled at all. */
    boolean enabled();

    /** {@code spoolMode = always}: every row goes through the spool first. */
    boolean always();

    /**
     * Keeps the rows, oldest first; each is either in the spool when this returns or counted as
     * lost ({@code spool-full}, {@code spool-failed}, {@code closed}). Never throws.
     */
    void spool(List<PostgresRow> rows);

    /** How a live batch is written: one statement, all or nothing. */
    @FunctionalInterface
    interface BatchWrite {
        void write(Connection connection, List<PostgresRow> rows) throws SQLException;
    }

    /**
     * Writes a live batch; where the progress table exists, in one transaction with the batch's
     * number, so that a batch whose commit was not confirmed (the connection broke at its end) is
     * known, after the reconnect, to have committed or not, and is then not written twice.
     */
    default void writeLive(Connection connection, List<PostgresRow> rows, BatchWrite write) throws SQLException {
        write.write(connection, rows);
    }

    /** Whether spooled rows wait to be replayed. */
    boolean hasBacklog();

    /**
     * Replays the oldest spooled rows, one batch, on the writer's connection: the rows and the
     * spool position in one transaction where the progress table exists.
     *
     * @return null when there was nothing to replay, else how the batch ended ({@code WRITTEN},
     *     or what {@link ConnectionKeeper#batchFailed} decided)
     */
    Outcome replay(Connection connection, ConnectionKeeper keeper);

    /** On every new connection, before it is used: the progress table and the stored position. */
    void prepare(Connection connection) throws SQLException;

    /** Runs when rows arrive in an empty spool, or a batch's worth accumulated: the writer wakes. */
    void onBacklog(Runnable wake);

    /** Nanoseconds until a replay batch is worth writing: a batch's worth is spooled or the oldest waited long enough. */
    long nanosUntilBatchDue(long flushIntervalNanos);

    /** The counts for {@code stats()} and the MBean. */
    SpoolStats stats();

    /** What happens to records while the database is unreachable, for the outage line. */
    String whileUnreachable();

    /** Puts what is spooled on the disk and releases the directory. Never throws. */
    @Override
    void close();
}
