package stogger.postgres.internal.spool;

import static stogger.postgres.internal.spool.SpoolRows.await;
import static stogger.postgres.internal.spool.SpoolRows.frames;
import static stogger.postgres.internal.spool.SpoolRows.row;
import static stogger.postgres.internal.spool.SpoolRows.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.ClosedChannelException;
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
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.CopyLines;

/** The append side on its own: what fits is counted and woken for, what does not is lost, and the forcing. */
class SpoolWriterTest {

    @TempDir
    Path directory;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> lines.add(m), System::nanoTime, Instant::now);
    private final AtomicInteger wakes = new AtomicInteger();
    private final Backlog backlog = new Backlog();
    private SegmentFiles files;
    private SegmentSet segments;
    private SpoolAppender appender;
    private LiveBatches live;

    private SpoolWriter writer(long maxBytes, boolean always, boolean syncEveryAppend, int syncIntervalMs,
            int batchSize) throws IOException {
        files = new SegmentFiles(directory);
        segments = new SegmentSet(files, (m, e, c) -> lines.add(m));
        appender = new SpoolAppender(files, segments.nextNumber(), 64 * 1024);
        segments.started(appender.number());
        live = new LiveBatches(files, (m, e, c) -> lines.add(m));
        SpoolSettings settings = new SpoolSettings(directory, always, maxBytes, syncEveryAppend, syncIntervalMs,
                batchSize, true, 5000);
        return new SpoolWriter(settings, files, segments, backlog, appender, live, ledger, (m, e, c) -> lines.add(m),
                wakes::incrementAndGet);
    }

    private SpoolWriter writer(long maxBytes) throws IOException {
        return writer(maxBytes, false, false, 60_000, 10);
    }

    private List<byte[]> payloads() throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        long number = appender.number();
        try (SegmentReader reader = new SegmentReader(files.segment(number), number, 0, appender.size(), d -> { })) {
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                payloads.add(e.payload());
            }
        }
        return payloads;
    }

    // The appender keeps whether anything was written since the last force; it has no accessor.
    private boolean unforced() throws ReflectiveOperationException {
        Field dirty = SpoolAppender.class.getDeclaredField("dirty");
        dirty.setAccessible(true);
        return dirty.getBoolean(appender);
    }

    @Test
    void rowsThatExactlyFillTheSpoolAreAllKeptAndTheNextOneIsSpoolFull() throws Exception {
        SpoolWriter writer = writer(frames(rows(0, 3)));
        writer.spool(rows(0, 3));
        assertEquals(3, backlog.count());
        assertEquals(0, ledger.lost(LossReason.SPOOL_FULL));
        assertEquals(frames(rows(0, 3)), segments.bytes());
        writer.spool(rows(3, 1));
        assertEquals(3, backlog.count());
        assertEquals(1, ledger.lost(LossReason.SPOOL_FULL));
    }

    /** A row whose COPY line is longer than the largest frame a reader accepts. */
    private static PostgresRow tooLargeForTheSpool() {
        return new PostgresRow(Instant.ofEpochSecond(1_700_000_000L), "info", "huge", null, null,
                Json.createObjectBuilder().add("text", "x".repeat(Frame.MAX_PAYLOAD)).build());
    }

    @Test
    void aRecordLargerThanAReaderAcceptsIsLostAloneAndTheRowsAroundItAreSpooledInOrder() throws Exception {
        SpoolWriter writer = writer(Long.MAX_VALUE);
        PostgresRow huge = tooLargeForTheSpool();
        writer.spool(List.of(row(1), huge, row(3)));
        assertEquals(1, ledger.lost(LossReason.SPOOL_FAILED));
        assertEquals(2, backlog.count());
        List<byte[]> payloads = payloads();
        assertEquals(2, payloads.size());
        assertArrayEquals(CopyLines.encode(row(1)), payloads.get(0));
        assertArrayEquals(CopyLines.encode(row(3)), payloads.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.contains("larger than the largest the spool holds (" + Frame.MAX_PAYLOAD
                + " bytes)")), lines.toString());
    }

    @Test
    void aBatchOfOnlyTooLargeRecordsLeavesTheSpoolEmpty() throws Exception {
        SpoolWriter writer = writer(Long.MAX_VALUE);
        PostgresRow huge = tooLargeForTheSpool();
        writer.spool(List.of(huge));
        assertEquals(1, ledger.lost(LossReason.SPOOL_FAILED));
        assertEquals(0, backlog.count());
        assertEquals(0, appender.size());
        assertEquals(0, wakes.get());
    }

    @Test
    void aSpoolWithNoRoomTakesNothingAndStartsNoEpisode() throws Exception {
        SpoolWriter writer = writer(1);
        writer.spool(rows(0, 2));
        assertEquals(0, backlog.count());
        assertEquals(2, ledger.lost(LossReason.SPOOL_FULL));
        assertEquals(0, appender.size());
        assertEquals(0, wakes.get());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("spooling to")), lines.toString());
    }

    @Test
    void nothingToSpoolChangesNothing() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        writer.spool(List.of());
        assertEquals(0, backlog.count());
        assertEquals(0, appender.size());
        assertEquals(0, wakes.get());
    }

    @Test
    void lostRowsInAnyOrderAreReportedFromTheirEarliestToTheirLatestTimestamp() throws Exception {
        SpoolWriter writer = writer(1);
        writer.spool(List.of(row(5), row(1), row(9), row(3)));
        assertTrue(lines.stream().anyMatch(l -> l.contains("lost since " + row(1).timestamp())), lines.toString());
        ledger.wrote(1, ledger.mark());
        assertTrue(lines.stream().anyMatch(l -> l.contains("from " + row(1).timestamp() + " to " + row(9).timestamp())),
                lines.toString());
    }

    @Test
    void theWriterWakesForTheFirstRowsAndWhenABatchsWorthIsReachedNotForEveryAppend() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        writer.spool(rows(0, 3));
        assertEquals(1, wakes.get(), "rows into an empty spool");
        writer.spool(rows(3, 3));
        assertEquals(1, wakes.get(), "6 of a batch of 10");
        writer.spool(rows(6, 4));
        assertEquals(2, wakes.get(), "exactly a batch's worth");
        writer.spool(rows(10, 1));
        assertEquals(2, wakes.get(), "more than a batch's worth already waited");
    }

    @Test
    void aBatchInDoubtIsSpooledBehindItsControlRecordAndCountedWithoutIt() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        List<PostgresRow> batch = rows(0, 3);
        live.failed(live.next(), batch);
        writer.spool(batch);
        assertEquals(3, backlog.count());
        List<byte[]> payloads = payloads();
        assertEquals(4, payloads.size());
        assertTrue(LiveBatches.isControl(payloads.get(0)));
        assertEquals(Frame.size(LiveBatches.controlBytes()) + frames(batch), segments.bytes());
        assertEquals(appender.size(), segments.bytes());
    }

    @Test
    void aBatchInDoubtThatDoesNotFitWholeGoesWithoutItsControlRecord() throws Exception {
        List<PostgresRow> batch = rows(0, 3);
        SpoolWriter writer = writer(Frame.size(LiveBatches.controlBytes()) + frames(batch.subList(0, 2)));
        live.failed(live.next(), batch);
        writer.spool(batch);
        assertEquals(2, backlog.count());
        assertEquals(1, ledger.lost(LossReason.SPOOL_FULL));
        List<byte[]> payloads = payloads();
        assertEquals(2, payloads.size());
        assertFalse(payloads.stream().anyMatch(LiveBatches::isControl));
        assertEquals(frames(batch.subList(0, 2)), segments.bytes());
        assertEquals(appender.size(), segments.bytes());
    }

    @Test
    void rowsPublishedAfterCloseAreLostAsClosedAndASecondCloseDoesNothing() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        assertTrue(writer.close());
        writer.spool(rows(0, 4));
        assertEquals(4, ledger.lost(LossReason.CLOSED));
        assertEquals(0, backlog.count());
        assertFalse(writer.close());
    }

    @Test
    void closeClosesTheActiveSegment() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        writer.spool(rows(0, 2));
        writer.close();
        assertThrows(ClosedChannelException.class, () -> appender.append(List.of(CopyLines.encode(row(3)))));
    }

    @Test
    void withSyncEveryAppendEachAppendIsForcedBeforeItReturns() throws Exception {
        SpoolWriter writer = writer(1 << 20, false, true, 60_000, 10);
        writer.spool(rows(0, 2));
        assertFalse(unforced());
    }

    @Test
    void theForcingThreadForcesAppendsAndEndsAtClose() throws Exception {
        SpoolWriter writer = writer(1 << 20, false, false, 10, 10);
        Thread forcing = new Thread(writer::forceUntilClosed);
        forcing.setDaemon(true);
        forcing.start();
        writer.spool(rows(0, 2));
        await(() -> {
            try {
                return !unforced();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }, "the append is forced");
        assertTrue(forcing.isAlive(), "it goes on forcing while open");
        writer.close();
        forcing.join(10_000);
        assertFalse(forcing.isAlive());
    }

    @Test
    void theForcingThreadEndsWhenInterrupted() throws Exception {
        SpoolWriter writer = writer(1 << 20, false, false, 60_000, 10);
        Thread forcing = new Thread(writer::forceUntilClosed);
        forcing.setDaemon(true);
        forcing.start();
        try {
            forcing.interrupt();
            forcing.join(10_000);
            assertFalse(forcing.isAlive());
        } finally {
            writer.close();
        }
    }

    @Test
    void aReplayThatReadTheActiveSegmentToItsEndStartsANewOneAndEndsTheEpisode() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        writer.spool(rows(0, 3));
        long active = appender.number();
        writer.caughtUp(appender.completed());
        assertEquals(active, appender.number(), "records wait: no new segment");
        backlog.replayed(3, null);
        writer.caughtUp(new SpoolPosition(active, 0));
        assertEquals(active, appender.number(), "not read to its end: no new segment");
        writer.caughtUp(appender.completed());
        assertEquals(active + 1, appender.number());
        assertTrue(segments.sizes().containsKey(active + 1));
        assertTrue(Files.exists(files.segment(active + 1)));
        assertFalse(Files.exists(files.segment(active)), "the segment read to its end is deleted");
        assertFalse(segments.sizes().containsKey(active));
        assertEquals(0, segments.bytes());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("spool replayed: 3 records spooled since ")),
                lines.toString());
    }

    @Test
    void caughtUpOnAnEmptyActiveSegmentKeepsItAndReportsNoEpisode() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        long active = appender.number();
        writer.caughtUp(appender.completed());
        assertEquals(active, appender.number());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("spool replayed")), lines.toString());
    }

    @Test
    void aNewSegmentThatCannotBeStartedIsReported() throws Exception {
        SpoolWriter writer = writer(1 << 20);
        writer.spool(rows(0, 1));
        backlog.replayed(1, null);
        Files.createFile(files.segment(appender.number() + 1));
        writer.caughtUp(appender.completed());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("starting a new spool segment failed")),
                lines.toString());
    }

    @Test
    void aFullSpoolWhoseActiveSegmentIsFullStartsNoSegmentForRowsItCannotTake() throws Exception {
        int n = 0;
        long bytes = 0;
        while (bytes < 64 * 1024) {
            bytes += frames(rows(n, 1));
            n++;
        }
        SpoolWriter writer = writer(bytes);
        for (int i = 0; i < n; i += 100) {
            writer.spool(rows(i, Math.min(100, n - i)));
        }
        assertEquals(n, backlog.count());
        long active = appender.number();
        writer.spool(rows(n, 1));
        assertEquals(1, ledger.lost(LossReason.SPOOL_FULL));
        assertEquals(active, appender.number());
        assertFalse(Files.exists(files.segment(active + 1)));
    }

    @Test
    void withSpoolModeAlwaysSpoolingIsNoEpisode() throws Exception {
        SpoolWriter writer = writer(1 << 20, true, false, 60_000, 10);
        writer.spool(rows(0, 3));
        assertEquals(3, backlog.count());
        backlog.replayed(3, null);
        writer.caughtUp(appender.completed());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("spooling to") || l.startsWith("spool replayed")),
                lines.toString());
    }
}
