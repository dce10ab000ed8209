package stogger.postgres.internal.spool;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.FailureClassifier;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.CopyLines;
import stogger.postgres.internal.write.Schema;
import stogger.postgres.internal.write.Transactions;

/**
 * The replay side of the spool, used from the writer's side only (the async writer thread, or
 * the sync writer's replay thread): reads the oldest records in batches and commits each batch
 * with the position after it, in one transaction where the progress table exists (exactly once),
 * else with the position kept in a local file (at least once). It also writes live batches with
 * their numbers, so that a batch whose commit was not confirmed is not written twice.
 *
 * <p>A batch the server rejects for one of its rows is written row by row, and only the bad rows
 * are lost ({@code statement-failed}). Positions the progress table holds ahead of the local one
 * (a replay that committed before a crash) are skipped.
 */
final class SpoolReplayer {

    /** The most bytes one replay batch holds, whatever its record count. */
    static final long MAX_BATCH_BYTES = 4L << 20;

    private final SpoolSettings settings;
    private final SegmentFiles files;
    private final SegmentSet segments;
    private final Backlog backlog;
    private final SpoolWriter writer;
    private final SpoolRecovery recovery;
    private final SpoolReader reader;
    private final LiveBatches live;
    private final ProgressTable progress;
    private final CopyLines copy;
    private final String id;
    private final LossLedger ledger;
    private final FailureReporter.Sink report;
    private volatile Boolean exactlyOnce;
    private volatile SpoolPosition fromDatabase;
    // The replay side's own state.
    private SpoolPosition confirmed;
    private long skipRemaining;
    private long confirmedSkip;
    private SpoolPosition databaseKnown = SpoolPosition.START;
    private String lastReadFailure;

    SpoolReplayer(SpoolSettings settings, SegmentFiles files, SegmentSet segments, Backlog backlog,
            SpoolWriter writer, SpoolRecovery recovery, SpoolReader reader, LiveBatches live, TableName table,
            Schema schema, String id, SpoolPosition local, LossLedger ledger, FailureReporter.Sink report) {
        this.settings = settings;
        this.files = files;
        this.segments = segments;
        this.backlog = backlog;
        this.writer = writer;
        this.recovery = recovery;
        this.reader = reader;
        this.live = live;
        this.progress = new ProgressTable(table, settings.createTable(), settings.lockTimeoutMs());
        this.copy = new CopyLines(schema);
        this.id = id;
        this.confirmed = local;
        this.ledger = ledger;
        this.report = report;
    }

    /** See {@link RowSpool#writeLive}. */
    void writeLive(Connection connection, List<PostgresRow> rows, RowSpool.BatchWrite write) throws SQLException {
        if (!Boolean.TRUE.equals(exactlyOnce) || rows.isEmpty()) {
            write.write(connection, rows);
            return;
        }
        long number = live.next();
        connection.setAutoCommit(false);
        try {
            write.write(connection, rows);
            progress.writeLive(connection, id, number);
            connection.commit();
            live.committed();
        } catch (SQLException | RuntimeException e) {
            Transactions.rollback(connection);
            live.failed(number, rows);
            throw e;
        } finally {
            Transactions.autoCommit(connection);
        }
    }

    /** See {@link RowSpool#prepare}: decides, and tells when it changes, exactly once or at least once. */
    void prepare(Connection connection) throws SQLException {
        String why;
        SpoolPosition stored = null;
        try {
            why = progress.check(connection);
            if (why == null) {
                stored = progress.read(connection, id);
            }
        } catch (SQLException e) {
            if (FailureClassifier.connectionFailed(e, connection)) {
                throw e;
            }
            why = "the progress table " + progress.name() + " cannot be used: " + e.getMessage().strip()
                    .split("\\R")[0];
        }
        boolean exact = why == null;
        Boolean before = exactlyOnce;
        if (stored != null) {
            fromDatabase = stored;
            Long lastLive = progress.readLive(connection, id);
            if (lastLive != null) {
                live.lastCommitted(lastLive);
            }
        }
        exactlyOnce = exact;
        if (before == null || before != exact) {
            report.report(exact ? "spool " + files.directory() + ": replay is exactly once (the position is"
                    + " committed with the rows in " + progress.name() + ")"
                    : "spool " + files.directory() + ": replay is at least once, since " + why + "; a crash during"
                            + " a replay can write up to one batch (" + settings.batchSize() + " records) twice",
                    null, ErrorManager.GENERIC_FAILURE);
        }
    }

    /** See {@link RowSpool#replay}. */
    Outcome replay(Connection connection, ConnectionKeeper keeper) {
        if (!recovery.await()) {
            return null;
        }
        SpoolReader.Batch batch;
        List<SpoolPosition> ends = new ArrayList<>();
        try {
            skipToDatabasePosition();
            batch = reader.read(settings.batchSize(), MAX_BATCH_BYTES, ends);
        } catch (IOException e) {
            reader.seek(confirmed);
            String text = "reading the spool in " + files.directory() + " failed: " + e;
            if (!text.equals(lastReadFailure)) {
                report.report(text + "; retrying", e, ErrorManager.GENERIC_FAILURE);
            }
            lastReadFailure = text;
            return null;
        }
        lastReadFailure = null;
        List<byte[]> lines = new ArrayList<>(batch.lines().size());
        List<SpoolPosition> lineEnds = new ArrayList<>(batch.lines().size());
        long alreadyWritten = 0;
        for (int i = 0; i < batch.lines().size(); i++) {
            byte[] line = batch.lines().get(i);
            if (LiveBatches.isControl(line)) {
                skipRemaining = live.alreadyWritten(line);
            } else if (skipRemaining > 0) {
                skipRemaining--;
                alreadyWritten++;
            } else {
                lines.add(line);
                lineEnds.add(ends.get(i));
            }
        }
        if (lines.isEmpty() && !batch.isEmpty()) {
            try {
                commit(connection, List.of(), batch.end());
            } catch (SQLException e) {
                rewind();
                return e instanceof PositionMoved ? Outcome.REFUSED : keeper.batchFailed(e);
            }
            settle(alreadyWritten);
            confirm(0, batch.end(), ledger.mark(), null);
            return Outcome.WRITTEN;
        }
        if (batch.isEmpty()) {
            if (batch.end().compareTo(confirmed) > 0) {
                confirm(0, batch.end(), ledger.mark(), null);
            }
            writer.caughtUp(reader.position());
            return null;
        }
        long mark = ledger.mark();
        try {
            commit(connection, lines, batch.end());
        } catch (SQLException e) {
            Outcome outcome = e instanceof PositionMoved ? Outcome.REFUSED : keeper.batchFailed(e);
            if (outcome == Outcome.REJECTED) {
                long skipAfter = skipRemaining;
                skipRemaining = confirmedSkip;
                Outcome rowByRow = oneByOne(connection, keeper, lines, lineEnds);
                if (rowByRow == Outcome.WRITTEN) {
                    settle(alreadyWritten);
                    confirm(0, batch.end(), ledger.mark(), null);
                    skipRemaining = skipAfter;
                    confirmedSkip = skipAfter;
                }
                return rowByRow;
            }
            rewind();
            return outcome;
        }
        settle(alreadyWritten);
        confirm(lines.size(), batch.end(), mark, lines.get(lines.size() - 1));
        return Outcome.WRITTEN;
    }

    /** Back to the last committed position, and the skipping state that went with it. */
    private void rewind() {
        reader.seek(confirmed);
        skipRemaining = confirmedSkip;
    }

    /** Rows of a live batch that committed before its connection broke: written, not replayed. */
    private void settle(long alreadyWritten) {
        if (alreadyWritten > 0) {
            backlog.gone(alreadyWritten);
            ledger.wrote(alreadyWritten, ledger.mark());
        }
    }

    /** A batch one of whose rows the server rejects: each row in a transaction of its own. */
    private Outcome oneByOne(Connection connection, ConnectionKeeper keeper, List<byte[]> lines,
            List<SpoolPosition> ends) {
        for (int i = 0; i < lines.size(); i++) {
            long mark = ledger.mark();
            List<byte[]> one = List.of(lines.get(i));
            try {
                commit(connection, one, ends.get(i));
                confirm(1, ends.get(i), mark, lines.get(i));
            } catch (SQLException e) {
                Outcome outcome = e instanceof PositionMoved ? Outcome.REFUSED : keeper.failed(e);
                if (outcome != Outcome.REJECTED) {
                    reader.seek(confirmed);
                    return outcome;
                }
                try {
                    commit(connection, List.of(), ends.get(i));
                } catch (SQLException again) {
                    reader.seek(confirmed);
                    return e instanceof PositionMoved ? Outcome.REFUSED : keeper.batchFailed(again);
                }
                Instant at = CopyLines.timestamp(lines.get(i));
                at = at == null ? Instant.now() : at;
                ledger.lost(LossReason.STATEMENT_FAILED, at, "a spooled record was rejected by the server: "
                        + keeper.describe(e));
                backlog.gone(1);
                confirm(0, ends.get(i), mark, null);
            }
        }
        return Outcome.WRITTEN;
    }

    /** The rows and, where the progress table exists, the position after them, in one transaction. */
    private void commit(Connection connection, List<byte[]> lines, SpoolPosition end) throws SQLException {
        if (!Boolean.TRUE.equals(exactlyOnce)) {
            if (!lines.isEmpty()) {
                copy.write(connection, lines);
            }
            writeLocalPosition(end, true);
            return;
        }
        connection.setAutoCommit(false);
        try {
            if (!lines.isEmpty()) {
                copy.write(connection, lines);
            }
            if (!progress.write(connection, id, databaseKnown, end)) {
                throw new PositionMoved();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            Transactions.rollback(connection);
            if (e instanceof PositionMoved) {
                fromDatabase = progress.read(connection, id);
            }
            throw e;
        } finally {
            Transactions.autoCommit(connection);
        }
        databaseKnown = end;
        writeLocalPosition(end, false);
    }

    /** Another transaction moved the stored position (an earlier write that committed late): read it again. */
    private static final class PositionMoved extends SQLException {
        private static final long serialVersionUID = 1L;

        PositionMoved() {
            super("the spool position in the progress table moved meanwhile");
        }
    }

    /** A position committed (or passed without rows): counts, deletes passed segments. */
    private void confirm(int rows, SpoolPosition end, long mark, byte[] last) {
        confirmed = end;
        confirmedSkip = skipRemaining;
        if (rows > 0) {
            backlog.replayed(rows, last == null ? null : CopyLines.timestamp(last));
            ledger.wrote(rows, mark);
        }
        segments.deletePassed(end, writer.completed().segment());
        if (rows > 0 && backlog.count() <= 0) {
            writer.caughtUp(reader.position());
        }
    }

    /** The position the progress table holds is ahead of the local one: those records are written already. */
    private void skipToDatabasePosition() throws IOException {
        SpoolPosition stored = fromDatabase;
        if (stored == null) {
            return;
        }
        fromDatabase = null;
        databaseKnown = stored;
        if (stored.compareTo(confirmed) <= 0) {
            return;
        }
        reader.seek(confirmed);
        long skipped = 0;
        while (reader.position().compareTo(stored) < 0) {
            SpoolReader.Batch one = reader.read(1, MAX_BATCH_BYTES, null);
            if (one.end().compareTo(stored) > 0) {
                // Not a record boundary of this spool: the stored position is not this spool's; keep ours.
                reader.seek(confirmed);
                return;
            }
            if (one.isEmpty()) {
                break;
            }
            skipped += LiveBatches.isControl(one.lines().get(0)) ? 0 : 1;
        }
        backlog.gone(skipped);
        confirmed = reader.position();
        writeLocalPosition(confirmed, false);
        segments.deletePassed(confirmed, writer.completed().segment());
    }

    private void writeLocalPosition(SpoolPosition position, boolean force) {
        try {
            LocalState.position(files, position, force);
        } catch (IOException e) {
            report.report("writing the spool position in " + files.directory() + " failed: " + e, e,
                    ErrorManager.GENERIC_FAILURE);
        }
    }
}
