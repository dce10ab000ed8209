package stogger.postgres.internal.spool;

import static stogger.postgres.internal.spool.SpoolRows.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stogger.core.PostgresRow;
import stogger.postgres.internal.loss.LossLedger;

/** What a new process finds of an earlier one's spool: counted from the local position, passed segments deleted. */
class SpoolRecoveryTest {

    @TempDir
    Path directory;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> lines.add(m), System::nanoTime, Instant::now);
    private final AtomicInteger wakes = new AtomicInteger();
    private Backlog backlog;
    private SegmentSet segments;

    private SegmentFiles files() {
        return new SegmentFiles(directory);
    }

    private SpoolWriter writer(Backlog backlog) throws IOException {
        SegmentFiles files = files();
        segments = new SegmentSet(files, (m, e, c) -> lines.add(m));
        SpoolAppender appender = new SpoolAppender(files, segments.nextNumber(), 64 * 1024);
        segments.started(appender.number());
        SpoolSettings settings = new SpoolSettings(directory, false, 1 << 20, false, 60_000, 100, true, 5000);
        return new SpoolWriter(settings, files, segments, backlog, appender, new LiveBatches(files, (m, e, c) -> { }),
                ledger, (m, e, c) -> lines.add(m), () -> { });
    }

    /** An earlier process that spooled these rows into a segment of their own. */
    private long earlierSegment(List<PostgresRow> rows) throws IOException {
        SpoolWriter writer = writer(new Backlog());
        writer.spool(rows);
        writer.close();
        return segments.sizes().lastKey();
    }

    private SpoolRecovery recovery(SpoolPosition from) throws IOException {
        backlog = new Backlog();
        SpoolWriter writer = writer(backlog);
        return new SpoolRecovery(files(), segments, backlog, writer, segments.sizes().lastKey(), from, d -> { },
                (m, e, c) -> lines.add(m), wakes::incrementAndGet);
    }

    private static PostgresRow row(Instant at, int seq) {
        return new PostgresRow(at, "info", "numbered", null, null, Json.createObjectBuilder().add("seq", seq).build());
    }

    private static List<PostgresRow> rows(Instant first, int count) {
        List<PostgresRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(first.plusSeconds(i * 10L), i));
        }
        return rows;
    }

    @Test
    void recordsFromTheLocalPositionOnAreCountedWithTheOldestsAgeAndTheWriterIsWoken() throws Exception {
        Instant old = Instant.now().minusSeconds(1_000);
        List<PostgresRow> first = rows(old, 5);
        long one = earlierSegment(first);
        long two = earlierSegment(rows(Instant.now().minusSeconds(10), 3));
        // The position is after two records of the first segment: the third is the oldest left.
        SpoolRecovery recovery = recovery(new SpoolPosition(one, frames(first.subList(0, 2))));
        recovery.run();
        assertTrue(recovery.await());
        assertEquals(3 + 3, backlog.count());
        long age = backlog.stats(0).oldestAgeMillis();
        assertTrue(age >= 980_000 - 1_000 && age < 990_000, Long.toString(age));
        assertEquals(1, wakes.get());
        assertTrue(Files.exists(files().segment(one)));
        assertTrue(Files.exists(files().segment(two)));
        assertTrue(lines.stream().anyMatch(l -> l.contains("holds 6 records")), lines.toString());
    }

    @Test
    void segmentsBeforeTheLocalPositionAndOnesReplayedToTheirEndAreDeleted() throws Exception {
        long one = earlierSegment(rows(Instant.now(), 4));
        List<PostgresRow> second = rows(Instant.now(), 2);
        long two = earlierSegment(second);
        long three = earlierSegment(rows(Instant.now(), 3));
        SpoolRecovery recovery = recovery(new SpoolPosition(two, frames(second)));
        recovery.run();
        assertFalse(Files.exists(files().segment(one)), "before the position");
        assertFalse(Files.exists(files().segment(two)), "replayed to its end");
        assertTrue(Files.exists(files().segment(three)));
        assertEquals(3, backlog.count());
        assertEquals(Files.size(files().segment(three)), segments.bytes());
    }

    @Test
    void aSpoolWithNothingLeftIsNotReportedAndWakesNoOne() throws Exception {
        List<PostgresRow> rows = rows(Instant.now(), 2);
        long one = earlierSegment(rows);
        SpoolRecovery recovery = recovery(new SpoolPosition(one, frames(rows)));
        recovery.run();
        assertEquals(0, backlog.count());
        assertEquals(0, wakes.get());
        assertFalse(lines.stream().anyMatch(l -> l.contains("holds")), lines.toString());
    }

    @Test
    void aSegmentThatCannotBeReadIsReportedAndLeftAsItIs() throws Exception {
        long one = earlierSegment(rows(Instant.now(), 2));
        Files.delete(files().segment(one));
        Files.createDirectory(files().segment(one));
        SpoolRecovery recovery = recovery(SpoolPosition.START);
        recovery.run();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("reading the spool segment " + files().segment(one)
                + " failed")), lines.toString());
        assertTrue(Files.isDirectory(files().segment(one)));
        assertTrue(recovery.await(), "the replay still goes on");
    }

    @Test
    void aReplayWaitsForARecoveryThatHasNotRunAndNotWhenInterrupted() throws Exception {
        SpoolRecovery recovery = recovery(SpoolPosition.START);
        assertFalse(recovery.await());
        Thread.currentThread().interrupt();
        try {
            assertFalse(recovery.await());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }
}
