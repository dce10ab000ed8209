package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.ReplayThread;
import stogger.postgres.internal.spool.RowSpool;

/**
 * The seed's write pattern: each record committed before {@code accept} returns, in autocommit.
 * Records that callers on several threads hand in while a write runs are committed together in
 * the next write, one statement and one transaction ({@link WriteGroups}); a caller alone writes
 * its one row with the prepared single-row INSERT at once. Rendering happens before, on the
 * caller's thread. A connection that broke is replaced at once and the records tried once more,
 * one by one; so is a group the server rejected, so that only the bad row is lost. After a write
 * ends a loss episode, its marker row is written right after. Nothing is buffered, so flush has
 * nothing to do.
 *
 * <p>With a spool, records the database cannot take now (unreachable, or refusing) are appended
 * to the spool instead, and {@code accept} returns once they are there; a {@link ReplayThread}
 * replays the spool one batch at a time, each while no group write runs. With
 * {@code spoolMode = always} every record goes to the spool and only the replay thread writes.
 */
public final class SyncWriter implements RowSink {

    static final String WHILE_UNREACHABLE = "records are dropped and counted until it is reachable";
    private static final String UNKNOWN_OUTCOME = "the client's socket timed out, so the write may or may not have"
            + " committed; not retried";

    /** The most records one group commit takes: far more than the threads that log at once. */
    static final int MAX_GROUP = 1_000;

    private final WriteGroups groups = new WriteGroups(MAX_GROUP);
    private final ConnectionKeeper keeper;
    private final SingleInsert insert;
    private final BatchInsert together;
    private final LossLedger ledger;
    private final long writeTimeoutMs;
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final RowSpool spool;
    private final ReplayThread replay;
    private String lastRefusal;

    /**
     * @param writeTimeoutMs the server's bound on a write, and so the longest a caller waits for
     *     the writes before its own
     */
    public SyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, int writeTimeoutMs) {
        this(keeper, schema, ledger, writeTimeoutMs, RowSpool.OFF);
    }

    /** A sync writer that spools what the database cannot take now, and replays it. */
    public SyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, int writeTimeoutMs, RowSpool spool) {
        this.keeper = keeper;
        this.insert = new SingleInsert(schema);
        this.together = new BatchInsert(schema, false);
        this.ledger = ledger;
        this.writeTimeoutMs = writeTimeoutMs;
        this.spool = spool;
        this.replay = spool.enabled() ? new ReplayThread(spool, keeper, groups::tryExclusively, this::writeMarkers,
                "stogger-postgres-replay[" + schema.table() + "]") : null;
    }

    /** What happens to records while the database is unreachable, for the outage line. */
    public static String whileUnreachable() {
        return WHILE_UNREACHABLE;
    }

    @Override
    public void start() {
        groups.exclusively(keeper::start);
        if (replay != null) {
            replay.start();
        }
    }

    /**
     * Writes one row, or counts it as lost with its reason; never throws, and never waits longer
     * than about {@code writeTimeoutMs} for the writes before it, nor for a connection attempt.
     */
    @Override
    public void accept(PostgresRow row) {
        if (spool.always()) {
            spool.spool(List.of(row));
            return;
        }
        switch (groups.submit(row, TimeUnit.MILLISECONDS.toNanos(writeTimeoutMs), this::writeGroup)) {
            case NOT_TAKEN -> ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the writes before it were"
                    + " still running after writeTimeoutMs=" + writeTimeoutMs + "; this record was not waited for");
            case INTERRUPTED -> ledger.lost(LossReason.CLOSED, row.timestamp(), "the logging thread was interrupted");
            default -> {
            }
        }
    }

    /** Resolves every row of a group: written together, else one by one. Never throws. */
    private void writeGroup(List<PostgresRow> rows) {
        try {
            if (rows.size() == 1 || !writeTogether(rows)) {
                for (PostgresRow row : rows) {
                    writeOne(row);
                }
            }
            writeMarkers();
        } catch (RuntimeException | Error e) {
            // Every caller of the group is told its row is resolved, so it must be counted.
            ledger.lost(LossReason.STATEMENT_FAILED, rows, "the write failed unexpectedly: " + e);
        }
    }

    /**
     * Writes the rows in one statement; returns false, leaving them unresolved, when they must be
     * tried one by one: one of them spoiled the statement, or the connection broke.
     */
    private boolean writeTogether(List<PostgresRow> rows) {
        if (!refusals.due()) {
            notNow(LossReason.DATABASE_REFUSED, rows, refusedForNow());
            return true;
        }
        Connection connection = keeper.connection();
        if (connection == null) {
            notNow(LossReason.DATABASE_UNREACHABLE, rows, keeper.whyUnavailable() + "; " + WHILE_UNREACHABLE);
            return true;
        }
        long mark = ledger.mark();
        try {
            together.write(connection, rows);
            ledger.wrote(rows.size(), mark);
            refusals.succeeded();
            keeper.wrote();
            return true;
        } catch (SQLException e) {
            Outcome outcome = keeper.batchFailed(e);
            switch (outcome) {
                case REFUSED -> {
                    refusals.failed();
                    lastRefusal = keeper.describe(e);
                    notNow(LossReason.DATABASE_REFUSED, rows, "the server refuses writes for now: " + lastRefusal
                            + "; records are dropped and counted until it accepts them again");
                    return true;
                }
                case UNKNOWN -> {
                    ledger.lost(LossReason.STATEMENT_FAILED, rows, UNKNOWN_OUTCOME);
                    return true;
                }
                case UNREACHABLE -> {
                    if (keeper.reconnectNow() == null) {
                        notNow(LossReason.DATABASE_UNREACHABLE, rows, "the connection broke and could not be"
                                + " replaced at once; " + WHILE_UNREACHABLE);
                        return true;
                    }
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /** One row on its own, on the connection there is, replaced once if it broke. */
    private void writeOne(PostgresRow row) {
        if (!refusals.due()) {
            notNow(LossReason.DATABASE_REFUSED, List.of(row), refusedForNow());
            return;
        }
        Connection connection = keeper.connection();
        if (connection == null) {
            notNow(LossReason.DATABASE_UNREACHABLE, List.of(row), keeper.whyUnavailable() + "; " + WHILE_UNREACHABLE);
            return;
        }
        if (write(connection, row) == Outcome.UNREACHABLE) {
            Connection fresh = keeper.reconnectNow();
            if (fresh == null || write(fresh, row) == Outcome.UNREACHABLE) {
                notNow(LossReason.DATABASE_UNREACHABLE, List.of(row), "the connection broke and could not be"
                        + " replaced at once; " + WHILE_UNREACHABLE);
            }
        }
    }

    /** Rows the database cannot take now: spooled when there is a spool, else lost for the reason. */
    private void notNow(LossReason reason, List<PostgresRow> rows, String detail) {
        if (spool.enabled()) {
            spool.spool(rows);
        } else {
            ledger.lost(reason, rows, detail);
        }
    }

    private String refusedForNow() {
        return "the server refuses writes for now (" + lastRefusal + "); records are dropped and counted until it"
                + " accepts them again";
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
                    notNow(LossReason.DATABASE_REFUSED, List.of(row), "the server refuses writes for now: "
                            + lastRefusal + "; records are dropped and counted until it accepts them again");
                }
                case UNKNOWN -> ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), UNKNOWN_OUTCOME);
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
        groups.exclusively(() -> {
            ledger.endAll();
            // Only on a live connection: close never waits for a connection attempt.
            if (keeper.isConnected()) {
                writeMarkers();
            }
            keeper.close();
        });
    }
}
