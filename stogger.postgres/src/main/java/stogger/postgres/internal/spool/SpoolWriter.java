package stogger.postgres.internal.spool;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.CopyLines;

/**
 * The append side of the spool: rows from any thread, under one lock, go to the active segment
 * as framed COPY lines, within {@code spoolMaxBytes}; what does not fit, or cannot be written, is
 * counted as lost with its reason. It also tells the spooling episode on stderr (its start here,
 * its end once a replay caught up), starts a new segment when a replay has read the active one
 * to its end, and forces appended records to disk every {@code spoolSyncIntervalMs}.
 */
final class SpoolWriter {

    private final SpoolSettings settings;
    private final SegmentFiles files;
    private final SegmentSet segments;
    private final Backlog backlog;
    private final SpoolAppender appender;
    private final LiveBatches live;
    private final LossLedger ledger;
    private final FailureReporter.Sink report;
    private final Runnable wake;
    private final Object lock = new Object();
    // Guarded by lock.
    private boolean closed;
    private long episodeRecords;
    private Instant episodeStart;

    SpoolWriter(SpoolSettings settings, SegmentFiles files, SegmentSet segments, Backlog backlog,
            SpoolAppender appender, LiveBatches live, LossLedger ledger, FailureReporter.Sink report, Runnable wake) {
        this.settings = settings;
        this.files = files;
        this.segments = segments;
        this.backlog = backlog;
        this.appender = appender;
        this.live = live;
        this.ledger = ledger;
        this.report = report;
        this.wake = wake;
    }

    /** The active segment and the end of its last complete record; readable from any thread. */
    SpoolPosition completed() {
        return appender.completed();
    }

    /** See {@link RowSpool#spool(List)}. */
    void spool(List<PostgresRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        byte[] control = live.controlFor(rows);
        List<byte[]> lines = new ArrayList<>(rows.size() + 1);
        List<PostgresRow> fitting = rows;
        for (int i = 0; i < rows.size(); i++) {
            byte[] line = CopyLines.encode(rows.get(i));
            if (line.length > Frame.MAX_PAYLOAD) {
                // A reader takes a longer frame for damage, so such a record could never be replayed.
                if (fitting == rows) {
                    fitting = new ArrayList<>(rows.subList(0, i));
                }
                lost(LossReason.SPOOL_FAILED, List.of(rows.get(i)), "a record of " + line.length + " bytes is"
                        + " larger than the largest the spool holds (" + Frame.MAX_PAYLOAD + " bytes)");
                continue;
            }
            if (fitting != rows) {
                fitting.add(rows.get(i));
            }
            lines.add(line);
        }
        if (fitting != rows) {
            // The control record stands for the whole batch; what is left is replayed at least once.
            control = null;
            rows = fitting;
            if (rows.isEmpty()) {
                return;
            }
        }
        boolean controlled = control != null;
        if (controlled) {
            lines.add(0, control);
        }
        int taken = 0;
        long before;
        String started = null;
        String failure = null;
        synchronized (lock) {
            if (closed) {
                lost(LossReason.CLOSED, rows, "published while the handler closed");
                return;
            }
            long need = 0;
            long room = settings.maxBytes() - segments.bytes();
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
            before = backlog.count();
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
                    segments.appended(appender.number(), appender.size(), need);
                    before = backlog.appended(taken, rows.get(0).timestamp());
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
            wake.run();
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

    /**
     * Everything spooled is written, and the replay reads at {@code readAt}: the episode ends, and
     * an active segment read to its end makes way for a new one and is deleted.
     */
    void caughtUp(SpoolPosition readAt) {
        if (backlog.count() > 0) {
            return;
        }
        String ended = null;
        synchronized (lock) {
            if (backlog.count() > 0 || closed) {
                return;
            }
            if (appender.size() > 0 && readAt.equals(appender.completed())) {
                try {
                    appender.roll();
                    segments.started(appender.number());
                    // Every segment before the new one is replayed and its position committed.
                    segments.deletePassed(new SpoolPosition(appender.number(), 0), appender.number());
                } catch (IOException e) {
                    report.report("starting a new spool segment failed: " + e, e, ErrorManager.GENERIC_FAILURE);
                }
            }
            if (episodeRecords > 0) {
                ended = "spool replayed: " + episodeRecords + " records spooled since " + episodeStart
                        + " are written (" + backlog.replayedCount() + " replayed since start); the spool is empty";
                episodeRecords = 0;
            }
        }
        if (ended != null) {
            report.report(ended, null, ErrorManager.GENERIC_FAILURE);
        }
    }

    /** Forces what was appended to disk every {@code spoolSyncIntervalMs}, until closed or interrupted. */
    void forceUntilClosed() {
        while (true) {
            try {
                Thread.sleep(settings.syncIntervalMs());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
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
     * Refuses further appends and closes the active segment (which forces it to disk).
     *
     * @return false when it was closed already
     */
    boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            try {
                appender.close();
            } catch (IOException e) {
                report.report("closing the spool in " + files.directory() + " failed: " + e, e,
                        ErrorManager.CLOSE_FAILURE);
            }
            return true;
        }
    }
}
