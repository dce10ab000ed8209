package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.Schema;

/**
 * The durable spool: rows the database cannot take now (or, with {@code spoolMode = always},
 * every row) are appended to segment files in the spool directory, and replayed in order, oldest
 * first, once it takes writes again.
 *
 * <p>This class opens the directory and wires the parts: {@link SpoolWriter} appends from any
 * thread, under one lock; {@link SpoolReplayer} replays from the writer's side only (the async
 * writer thread, or the sync writer's replay thread), deleting the segments it passed once the
 * position after them is committed; the newest segment is never deleted, so segment numbers only
 * grow. At start a thread of its own ({@code stogger-postgres-spool[<table>]}) runs the
 * {@link SpoolRecovery} of what an earlier process left, and then forces appended records to disk
 * every {@code spoolSyncIntervalMs}.
 */
public final class DiskSpool implements RowSpool {

    private final SpoolSettings settings;
    private final SegmentFiles files;
    private final SpoolLock lock;
    private final String id;
    private final SegmentSet segments;
    private final Backlog backlog = new Backlog();
    private final Set<String> damaged = ConcurrentHashMap.newKeySet();
    private final LossLedger ledger;
    private final SpoolWriter writer;
    private final SpoolRecovery recovery;
    private final SpoolReplayer replayer;
    private final SpoolReader reader;
    private final Thread background;
    private volatile Runnable onBacklog = () -> { };

    private DiskSpool(SpoolSettings settings, SegmentFiles files, SpoolLock lock, String id, SpoolPosition local,
            TableName table, Schema schema, LossLedger ledger, FailureReporter.Sink report) throws IOException {
        this.settings = settings;
        this.files = files;
        this.lock = lock;
        this.id = id;
        this.ledger = ledger;
        this.segments = new SegmentSet(files, report);
        // Appends never go to a segment an earlier process wrote: its tail may be torn.
        long firstActive = segments.nextNumber();
        SpoolAppender appender = new SpoolAppender(files, firstActive, settings.segmentBytes());
        segments.started(firstActive);
        Runnable wake = () -> onBacklog.run();
        LiveBatches live = new LiveBatches(files, report);
        this.writer = new SpoolWriter(settings, files, segments, backlog, appender, live, ledger, report, wake);
        this.recovery = new SpoolRecovery(files, segments, backlog, writer, firstActive, local, this::damaged, report,
                wake);
        this.reader = new SpoolReader(files, segments.sizes(), appender::completed, this::damaged, local);
        this.replayer = new SpoolReplayer(settings, files, segments, backlog, writer, recovery, reader, live, table,
                schema, id, local, ledger, report);
        this.background = new Thread(this::background, "stogger-postgres-spool[" + table + "]");
        this.background.setDaemon(true);
    }

    /**
     * Opens the spool in {@code settings.directory()}, creating the directory if needed. Never
     * throws: a directory another process owns, or one that cannot be used, is one line on stderr
     * and the handler runs without a spool ({@link RowSpool#OFF}).
     */
    public static RowSpool open(SpoolSettings settings, TableName table, Schema schema, LossLedger ledger,
            FailureReporter.Sink report) {
        Path directory = settings.directory();
        SpoolLock lock = null;
        try {
            Files.createDirectories(directory);
            SegmentFiles files = new SegmentFiles(directory);
            lock = SpoolLock.tryTake(files.file(SegmentFiles.LOCK));
            if (lock == null) {
                report.report("spool directory " + directory + " is in use by another process (pid "
                        + SpoolLock.owner(files.file(SegmentFiles.LOCK)) + ") or another handler; this handler runs"
                        + " without a spool (give each process a spoolDirectory of its own)", null,
                        ErrorManager.OPEN_FAILURE);
                return OFF;
            }
            boolean fresh = files.list().isEmpty();
            String id = LocalState.id(files, fresh);
            SpoolPosition local = fresh ? SpoolPosition.START : LocalState.position(files);
            DiskSpool spool = new DiskSpool(settings, files, lock, id, local, table, schema, ledger, report);
            spool.background.start();
            return spool;
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            report.report("spool directory " + directory + " cannot be used (" + e + "); this handler runs without"
                    + " a spool", e, ErrorManager.OPEN_FAILURE);
            return OFF;
        }
    }

    @Override
    public void writeLive(Connection connection, List<PostgresRow> rows, BatchWrite write) throws SQLException {
        replayer.writeLive(connection, rows, write);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean always() {
        return settings.always();
    }

    @Override
    public void onBacklog(Runnable wake) {
        this.onBacklog = wake;
    }

    @Override
    public void spool(List<PostgresRow> rows) {
        writer.spool(rows);
    }

    @Override
    public boolean hasBacklog() {
        return backlog.count() > 0;
    }

    @Override
    public long nanosUntilBatchDue(long flushIntervalNanos) {
        return backlog.nanosUntilBatchDue(flushIntervalNanos, settings.batchSize());
    }

    @Override
    public void prepare(Connection connection) throws SQLException {
        replayer.prepare(connection);
    }

    @Override
    public Outcome replay(Connection connection, ConnectionKeeper keeper) {
        return replayer.replay(connection, keeper);
    }

    /** A damaged region, counted once however often it is read. */
    private void damaged(Damage damage) {
        if (damaged.add(damage.segment() + ":" + damage.offset())) {
            Instant now = Instant.now();
            ledger.lost(LossReason.SPOOL_DAMAGED, 1, now, now, damage.describe(files.segment(damage.segment())
                    .toString()));
        }
    }

    private void background() {
        recovery.run();
        if (!settings.syncEveryAppend()) {
            writer.forceUntilClosed();
        }
    }

    @Override
    public SpoolStats stats() {
        return backlog.stats(segments.bytes());
    }

    @Override
    public String whileUnreachable() {
        return "records are spooled to " + files.directory() + " (" + Math.max(0, backlog.count())
                + " now; at most spoolMaxBytes=" + settings.maxBytes() + " bytes) and written once it is reachable";
    }

    /** The directory's id in the progress table; for tests. */
    String id() {
        return id;
    }

    @Override
    public void close() {
        if (!writer.close()) {
            return;
        }
        background.interrupt();
        reader.close();
        lock.close();
    }
}
