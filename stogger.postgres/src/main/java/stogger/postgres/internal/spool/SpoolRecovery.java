package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.ErrorManager;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.write.CopyLines;

/**
 * What an earlier process left in the spool directory, read once at start from the local
 * position: its records are counted into the {@link Backlog}, a torn tail (the last thing a
 * process wrote before it died) is cut, damage is counted, and segments with nothing left to
 * replay are deleted. Replays wait for it ({@link #await()}), so they never read a tail being cut.
 */
final class SpoolRecovery {

    private final SegmentFiles files;
    private final SegmentSet segments;
    private final Backlog backlog;
    private final SpoolWriter writer;
    private final long firstActive;
    private final SpoolPosition from;
    private final Consumer<Damage> damaged;
    private final FailureReporter.Sink report;
    private final Runnable wake;
    private final CountDownLatch done = new CountDownLatch(1);

    SpoolRecovery(SegmentFiles files, SegmentSet segments, Backlog backlog, SpoolWriter writer, long firstActive,
            SpoolPosition from, Consumer<Damage> damaged, FailureReporter.Sink report, Runnable wake) {
        this.files = files;
        this.segments = segments;
        this.backlog = backlog;
        this.writer = writer;
        this.firstActive = firstActive;
        this.from = from;
        this.damaged = damaged;
        this.report = report;
        this.wake = wake;
    }

    /** Reads the segments earlier processes wrote; never throws, and always lets {@link #await()} return. */
    void run() {
        try {
            recover();
        } finally {
            done.countDown();
        }
    }

    /** Waits at most a second for the recovery; false when it has not finished (or the wait was interrupted). */
    boolean await() {
        try {
            return done.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void recover() {
        long records = 0;
        long oldest = 0;
        segments.deletePassed(from, writer.completed().segment());
        for (Map.Entry<Long, Long> segment : segments.sizes().headMap(firstActive).entrySet()) {
            long number = segment.getKey();
            if (number < from.segment()) {
                continue;
            }
            long offset = number == from.segment() ? from.offset() : 0;
            long before = records;
            long[] torn = {-1};
            Path file = files.segment(number);
            try (SegmentReader scan = new SegmentReader(file, number, offset, segment.getValue(), damage -> {
                damaged.accept(damage);
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
                segments.cut(number, torn[0]);
            }
            if (records == before) {
                // Nothing left to replay in it (empty, replayed, or only damage): it is passed.
                segments.delete(number);
            }
        }
        if (records > 0) {
            backlog.recovered(records, oldest);
            report.report("spool " + files.directory() + " holds " + records + " records (" + segments.bytes()
                    + " bytes) from an earlier run; they are replayed, oldest first, once the database takes writes",
                    null, ErrorManager.GENERIC_FAILURE);
            wake.run();
        }
    }
}
