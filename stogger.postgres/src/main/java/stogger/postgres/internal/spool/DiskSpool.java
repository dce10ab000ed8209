package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.CopyLines;
import stogger.postgres.internal.write.Schema;

/**
 * The durable spool: rows the database cannot take now (or, with {@code spoolMode = always},
 * every row) are appended to segment files in the spool directory, and replayed in order, oldest
 * first, once it takes writes again.
 *
 * <p>Appends come from any thread, under one lock; replays from the writer's side only (the
 * async writer thread, or the sync writer's replay thread). Segments a replay passed are deleted
 * once the position after them is committed; the newest segment is never deleted, so segment
 * numbers only grow. At start a thread of its own ({@code stogger-postgres-spool[<table>]})
 * reads what an earlier process left, counting its records and cutting a torn tail, and then
 * forces appended records to disk every {@code spoolSyncIntervalMs}.
 */
public final class DiskSpool implements RowSpool {

    /** The most bytes one replay batch holds, whatever its record count. */
    static final long MAX_BATCH_BYTES = 4L << 20;

    private final SpoolSettings settings;
    private final SegmentFiles files;
    private final SpoolLock lock;
    private final String id;
    private final LossLedger ledger;
    private final FailureReporter.Sink report;
    private final ProgressTable progress;
    private final CopyLines copy;
    private final ConcurrentSkipListMap<Long, Long> segments;
    private final Object appendLock = new Object();
    private final SpoolAppender appender;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final Set<String> damaged = ConcurrentHashMap.newKeySet();
    private final LiveBatches live;
    private final CountDownLatch recovered = new CountDownLatch(1);
    private final Thread background;
    private final SpoolReader reader;
    private final long firstActive;
    private volatile long oldestMillis;
    private volatile Runnable onBacklog = () -> { };
    private volatile Boolean exactlyOnce;
    private volatile String atLeastOnceReason;
    private volatile SpoolPosition fromDatabase;
    private volatile boolean closed;
    // The replay side's own state.
    private SpoolPosition confirmed;
    private long skipRemaining;
    private long confirmedSkip;
    private SpoolPosition databaseKnown = SpoolPosition.START;
    private String lastReadFailure;
    // Guarded by appendLock: the spooling episode that stderr tells.
    private long episodeRecords;
    private Instant episodeStart;

    private DiskSpool(SpoolSettings settings, SegmentFiles files, SpoolLock lock, String id, SpoolPosition local,
            TableName table, Schema schema, LossLedger ledger, FailureReporter.Sink report) throws IOException {
        this.settings = settings;
        this.files = files;
        this.lock = lock;
        this.id = id;
        this.ledger = ledger;
        this.report = report;
        this.progress = new ProgressTable(table, settings.createTable(), settings.lockTimeoutMs());
        this.copy = new CopyLines(schema);
        this.segments = new ConcurrentSkipListMap<>(files.list());
        for (long size : segments.values()) {
            bytes.addAndGet(size);
        }
        // Appends never go to a segment an earlier process wrote: its tail may be torn.
        firstActive = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        this.appender = new SpoolAppender(files, firstActive, settings.segmentBytes());
        segments.put(firstActive, 0L);
        this.confirmed = local;
        this.reader = new SpoolReader(files, segments, appender::completed, this::damaged, local);
        this.live = new LiveBatches(files, report);
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
        if (rows.isEmpty()) {
            return;
        }
        List<byte[]> lines = new ArrayList<>(rows.size() + 1);
        byte[] control = live.controlFor(rows);
        boolean controlled = control != null;
        if (controlled) {
            lines.add(control);
        }
        for (PostgresRow row : rows) {
            lines.add(CopyLines.encode(row));
        }
        int taken = 0;
        long before;
        String started = null;
        String failure = null;
        synchronized (appendLock) {
            if (closed) {
                lost(LossReason.CLOSED, rows, "published while the handler closed");
                return;
            }
            long need = 0;
            long room = settings.maxBytes() - bytes.get();
            for (byte[] line : lines) {
                long frame = Frame.size(line.length);
                if (need + frame > room) {
                    break;
                }
                need += frame;
                taken++;
            }
            if (controlled && taken < lines.size()) {
                // The control record only with all of its rows; without it they are replayed at least once.
                lines.remove(0);
                need -= Frame.size(LiveBatches.controlBytes());
                taken--;
                controlled = false;
            }
            if (controlled) {
                taken--;
            }
            before = spooled.get();
            if (taken > 0) {
                try {
                    int frames = taken + (controlled ? 1 : 0);
                    appender.append(frames == lines.size() ? lines : lines.subList(0, frames));
                    if (settings.syncEveryAppend()) {
                        appender.force();
                    }
                } catch (IOException e) {
                    failure = "writing to the spool in " + files.directory() + " failed: " + e;
                    taken = -taken;
                }
                if (taken > 0) {
                    bytes.addAndGet(need);
                    segments.put(appender.number(), appender.size());
                    before = spooled.getAndAdd(taken);
                    if (before == 0) {
                        oldestMillis = rows.get(0).timestamp().toEpochMilli();
                    }
                    if (!settings.always() && episodeRecords == 0) {
                        episodeStart = Instant.now();
                        started = "spooling to " + files.directory() + ": the database cannot take records now;"
                                + " they are kept on disk (at most spoolMaxBytes=" + settings.maxBytes() + " bytes)"
                                + " and written in order once it can";
                    }
                    episodeRecords += settings.always() ? 0 : taken;
                }
            }
        }
        if (started != null) {
            report.report(started, null, ErrorManager.GENERIC_FAILURE);
        }
        if (taken < 0) {
            lost(LossReason.SPOOL_FAILED, rows, failure);
            return;
        }
        if (taken < rows.size()) {
            lost(LossReason.SPOOL_FULL, rows.subList(taken, rows.size()), "the spool is full (spoolMaxBytes="
                    + settings.maxBytes() + ")");
        }
        if (taken > 0 && (before == 0 || before < settings.batchSize() && before + taken >= settings.batchSize())) {
            onBacklog.run();
        }
    }

    private void lost(LossReason reason, List<PostgresRow> rows, String detail) {
        Instant first = rows.get(0).timestamp();
        Instant last = first;
        for (PostgresRow row : rows) {
            first = row.timestamp().isBefore(first) ? row.timestamp() : first;
            last = row.timestamp().isAfter(last) ? row.timestamp() : last;
        }
        ledger.lost(reason, rows.size(), first, last, detail);
    }

    @Override
    public boolean hasBacklog() {
        return spooled.get() > 0;
    }

    @Override
    public long nanosUntilBatchDue(long flushIntervalNanos) {
        long n = spooled.get();
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        if (n >= settings.batchSize()) {
            return 0;
        }
        long waited = TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - oldestMillis));
        return Math.max(0, flushIntervalNanos - waited);
    }

    @Override
    public void prepare(Connection connection) throws SQLException {
        String why;
        SpoolPosition stored = null;
        try {
            why = progress.check(connection);
            if (why == null) {
                stored = progress.read(connection, id);
            }
        } catch (SQLException e) {
            if (Transactions.connectionFailed(e, connection)) {
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
        atLeastOnceReason = why;
        exactlyOnce = exact;
        if (before == null || before != exact) {
            report.report(exact ? "spool " + files.directory() + ": replay is exactly once (the position is"
                    + " committed with the rows in " + progress.name() + ")"
                    : "spool " + files.directory() + ": replay is at least once, since " + why + "; a crash during"
                            + " a replay can write up to one batch (" + settings.batchSize() + " records) twice",
                    null, ErrorManager.GENERIC_FAILURE);
        }
    }

    @Override
    public Outcome replay(Connection connection, ConnectionKeeper keeper) {
        if (!awaitRecovered()) {
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
            caughtUp();
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
            spooled.addAndGet(-alreadyWritten);
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
                spooled.decrementAndGet();
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
            long left = spooled.addAndGet(-rows);
            replayed.addAndGet(rows);
            ledger.wrote(rows, mark);
            Instant at = last == null ? null : CopyLines.timestamp(last);
            if (left <= 0) {
                oldestMillis = 0;
            } else if (at != null) {
                oldestMillis = at.toEpochMilli();
            }
        }
        deletePassed(end);
        if (rows > 0 && spooled.get() <= 0) {
            caughtUp();
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
        spooled.addAndGet(-skipped);
        confirmed = reader.position();
        writeLocalPosition(confirmed, false);
        deletePassed(confirmed);
    }

    private void writeLocalPosition(SpoolPosition position, boolean force) {
        try {
            LocalState.position(files, position, force);
        } catch (IOException e) {
            report.report("writing the spool position in " + files.directory() + " failed: " + e, e,
                    ErrorManager.GENERIC_FAILURE);
        }
    }

    /** Deletes the segments before the position's, except the one appends go to. */
    private void deletePassed(SpoolPosition position) {
        long active = appender.completed().segment();
        for (Map.Entry<Long, Long> segment : segments.headMap(position.segment()).entrySet()) {
            long number = segment.getKey();
            if (number < active) {
                deleteSegment(number, segment.getValue());
            }
        }
    }

    private void deleteSegment(long number, long size) {
        try {
            Files.deleteIfExists(files.segment(number));
            if (segments.remove(number) != null) {
                bytes.addAndGet(-size);
            }
        } catch (IOException e) {
            report.report("deleting the replayed spool segment " + files.segment(number) + " failed: " + e, e,
                    ErrorManager.GENERIC_FAILURE);
        }
    }

    /** Everything spooled is written: the episode ends, and a replayed active segment makes way for a new one. */
    private void caughtUp() {
        if (spooled.get() > 0) {
            return;
        }
        String ended = null;
        synchronized (appendLock) {
            if (spooled.get() > 0 || closed) {
                return;
            }
            if (appender.size() > 0 && reader.position().equals(appender.completed())) {
                try {
                    appender.roll();
                    segments.put(appender.number(), 0L);
                } catch (IOException e) {
                    report.report("starting a new spool segment failed: " + e, e, ErrorManager.GENERIC_FAILURE);
                }
            }
            if (episodeRecords > 0) {
                ended = "spool replayed: " + episodeRecords + " records spooled since " + episodeStart
                        + " are written (" + replayed.get() + " replayed since start); the spool is empty";
                episodeRecords = 0;
            }
        }
        if (ended != null) {
            report.report(ended, null, ErrorManager.GENERIC_FAILURE);
        }
    }

    private boolean awaitRecovered() {
        try {
            return recovered.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        try {
            recover();
        } finally {
            recovered.countDown();
        }
        if (settings.syncEveryAppend()) {
            return;
        }
        while (!closed) {
            try {
                Thread.sleep(settings.syncIntervalMs());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (appendLock) {
                if (closed) {
                    return;
                }
                try {
                    appender.force();
                } catch (IOException e) {
                    report.report("forcing the spool in " + files.directory() + " to disk failed: " + e, e,
                            ErrorManager.GENERIC_FAILURE);
                }
            }
        }
    }

    /**
     * Reads what an earlier process left, from the local position: counts the records, cuts a
     * torn tail (the last thing an earlier process wrote before it died), reports damage.
     */
    private void recover() {
        long records = 0;
        long oldest = 0;
        deletePassed(confirmed);
        for (Map.Entry<Long, Long> segment : segments.headMap(firstActive).entrySet()) {
            long number = segment.getKey();
            if (number < confirmed.segment()) {
                continue;
            }
            long offset = number == confirmed.segment() ? confirmed.offset() : 0;
            long before = records;
            long[] torn = {-1};
            Path file = files.segment(number);
            try (SegmentReader scan = new SegmentReader(file, number, offset, segment.getValue(), damage -> {
                damaged(damage);
                if (damage.torn()) {
                    torn[0] = damage.offset();
                }
            })) {
                for (SegmentReader.Entry entry = scan.next(); entry != null; entry = scan.next()) {
                    if (LiveBatches.isControl(entry.payload())) {
                        continue;
                    }
                    if (records++ == 0) {
                        Instant at = CopyLines.timestamp(entry.payload());
                        oldest = at == null ? 0 : at.toEpochMilli();
                    }
                }
            } catch (IOException | RuntimeException e) {
                report.report("reading the spool segment " + file + " failed: " + e + "; it is left as it is", null,
                        ErrorManager.GENERIC_FAILURE);
                continue;
            }
            if (torn[0] >= 0) {
                cut(file, number, torn[0]);
            }
            if (records == before) {
                // Nothing left to replay in it (empty, replayed, or only damage): it is passed.
                deleteSegment(number, segments.getOrDefault(number, 0L));
            }
        }
        if (records > 0) {
            oldestMillis = oldest;
            spooled.addAndGet(records);
            report.report("spool " + files.directory() + " holds " + records + " records (" + bytes.get()
                    + " bytes) from an earlier run; they are replayed, oldest first, once the database takes writes",
                    null, ErrorManager.GENERIC_FAILURE);
            onBacklog.run();
        }
    }

    private void cut(Path file, long number, long at) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(at);
            long before = segments.getOrDefault(number, at);
            segments.put(number, at);
            bytes.addAndGet(at - before);
        } catch (IOException e) {
            report.report("cutting the torn tail of " + file + " failed: " + e, e, ErrorManager.GENERIC_FAILURE);
        }
    }

    @Override
    public SpoolStats stats() {
        long oldest = oldestMillis;
        long n = spooled.get();
        return new SpoolStats(Math.max(0, n), bytes.get(), n <= 0 || oldest == 0 ? 0
                : Math.max(0, System.currentTimeMillis() - oldest), replayed.get());
    }

    @Override
    public String whileUnreachable() {
        return "records are spooled to " + files.directory() + " (" + Math.max(0, spooled.get())
                + " now; at most spoolMaxBytes=" + settings.maxBytes() + " bytes) and written once it is reachable";
    }

    /** The directory's id in the progress table; for tests. */
    String id() {
        return id;
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                appender.close();
            } catch (IOException e) {
                report.report("closing the spool in " + files.directory() + " failed: " + e, e,
                        ErrorManager.CLOSE_FAILURE);
            }
        }
        background.interrupt();
        reader.close();
        lock.close();
    }
}
