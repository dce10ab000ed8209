package stogger.postgres.internal.spool;

import static stogger.postgres.internal.spool.SpoolRows.row;
import static stogger.postgres.internal.spool.SpoolRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.write.CopyLines;
import stogger.postgres.internal.write.Schema;

/** The spool on disk without a database: bounds, what a restart finds, the directory's one owner. */
class DiskSpoolTest {

    @TempDir
    Path directory;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LossLedger ledger = new LossLedger((m, e, c) -> lines.add(m), System::nanoTime, Instant::now);
    private final TableName table = TableName.parse("spool_test", "table");

    private SpoolSettings settings(long maxBytes) {
        return new SpoolSettings(directory, false, maxBytes, false, 1000, 100, true, 5000);
    }

    private RowSpool open(long maxBytes) {
        return DiskSpool.open(settings(maxBytes), table, new Schema(table), ledger, (m, e, c) -> lines.add(m));
    }

    private static void awaitSpooled(RowSpool spool, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spool.stats().spooled() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, spool.stats().spooled());
    }

    @Test
    void aFullSpoolTakesWhatFitsAndCountsEveryOtherRowAsSpoolFull() throws Exception {
        long max = 64 * 1024;
        long fit = 0;
        for (long used = 0; used + Frame.size(CopyLines.encode(row((int) fit)).length) <= max; fit++) {
            used += Frame.size(CopyLines.encode(row((int) fit)).length);
        }
        RowSpool spool = open(max);
        for (int i = 0; i < 2_000; i += 10) {
            spool.spool(rows(i, 10));
        }
        SpoolStats stats = spool.stats();
        assertEquals(fit, stats.spooled());
        assertEquals(2_000 - fit, ledger.lost(LossReason.SPOOL_FULL));
        assertTrue(stats.bytes() <= max, stats.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("spooling to " + directory)), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("records lost (spool-full)")), lines.toString());
        spool.close();
    }

    @Test
    void aRestartCountsWhatAnEarlierRunLeftCutsItsTornTailAndCountsIt() throws Exception {
        RowSpool first = open(1 << 20);
        first.spool(rows(0, 50));
        first.close();
        Map.Entry<Long, Long> segment = new SegmentFiles(directory).list().lastEntry();
        Path file = new SegmentFiles(directory).segment(segment.getKey());
        long torn = segment.getValue() - 5;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(torn);
        }
        RowSpool second = open(1 << 20);
        awaitSpooled(second, 49);
        assertEquals(1, ledger.lost(LossReason.SPOOL_DAMAGED));
        assertTrue(Files.size(file) < torn, "the torn record is cut off");
        assertTrue(lines.stream().anyMatch(l -> l.contains("holds 49 records")), lines.toString());
        assertTrue(second.stats().oldestAgeMillis() > 0);
        second.close();
    }

    @Test
    void aSecondSpoolOnOneDirectoryIsOffAndSaysWhoOwnsIt() throws Exception {
        RowSpool first = open(1 << 20);
        RowSpool second = open(1 << 20);
        assertNotSame(RowSpool.OFF, first);
        assertSame(RowSpool.OFF, second);
        assertTrue(lines.stream().anyMatch(l -> l.contains("is in use by another process (pid "
                + ProcessHandle.current().pid() + ")")), lines.toString());
        first.close();
        RowSpool third = open(1 << 20);
        assertNotSame(RowSpool.OFF, third, "the lock is released at close");
        third.close();
    }

    @Test
    void aDirectoryThatCannotBeCreatedLeavesTheHandlerWithoutASpool() throws Exception {
        Path blocker = directory.resolve("file");
        Files.writeString(blocker, "not a directory");
        RowSpool spool = DiskSpool.open(new SpoolSettings(blocker.resolve("spool"), false, 1 << 20, false, 1000, 100,
                true, 5000), table, new Schema(table), ledger, (m, e, c) -> lines.add(m));
        assertSame(RowSpool.OFF, spool);
        assertTrue(lines.stream().anyMatch(l -> l.contains("cannot be used")), lines.toString());
    }

    @Test
    void anIoErrorWhileSpoolingIsCountedAndReportedAndTheSpoolGoesOnOnceTheFileSystemDoes() throws Exception {
        RowSpool spool = open(1 << 20);
        long active = new SegmentFiles(directory).list().lastKey();
        Path next = new SegmentFiles(directory).segment(active + 1);
        // The next segment cannot be started while a file of its name is in the way.
        Files.createSymbolicLink(next, Path.of("/dev/full"));
        int logged = 0;
        while (ledger.lost(LossReason.SPOOL_FAILED) == 0 && logged < 100_000) {
            spool.spool(rows(logged, 100));
            logged += 100;
        }
        assertTrue(ledger.lost(LossReason.SPOOL_FAILED) > 0);
        spool.spool(rows(logged, 100));
        logged += 100;
        assertTrue(lines.stream().anyMatch(l -> l.contains("records lost (spool-failed): writing to the spool in "
                + directory + " failed")), lines.toString());
        Files.delete(next);
        long failed = ledger.lost(LossReason.SPOOL_FAILED);
        spool.spool(rows(logged, 100));
        logged += 100;
        assertEquals(failed, ledger.lost(LossReason.SPOOL_FAILED), "spooling works again");
        assertEquals(logged, spool.stats().spooled() + failed);
        spool.close();
    }

    @Test
    void segmentsRollAtAnEighthOfTheSpoolAndTheirSizesAddUp() throws Exception {
        RowSpool spool = open(1 << 20);
        for (int i = 0; i < 5_000; i += 100) {
            spool.spool(rows(i, 100));
        }
        long onDisk = 0;
        for (long size : new SegmentFiles(directory).list().values()) {
            onDisk += size;
        }
        assertTrue(new SegmentFiles(directory).list().size() > 2);
        assertEquals(onDisk, spool.stats().bytes());
        assertEquals(5_000, spool.stats().spooled() + ledger.lost(LossReason.SPOOL_FULL));
        spool.close();
    }

    private RowSpool open(SpoolSettings settings, TableName table) {
        return DiskSpool.open(settings, table, new Schema(table), ledger, (m, e, c) -> lines.add(m));
    }

    private static TableName uniqueTable() {
        return TableName.parse("spool_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), "table");
    }

    private static Thread spoolThread(TableName table) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("stogger-postgres-spool[" + table + "]")).findFirst().orElse(null);
    }

    @Test
    void aSpoolSaysWhatItKeepsAndWakesTheWriterForTheFirstRows() throws Exception {
        RowSpool spool = open(1 << 20);
        AtomicInteger wakes = new AtomicInteger();
        spool.onBacklog(wakes::incrementAndGet);
        assertTrue(spool.enabled());
        assertFalse(spool.always());
        assertFalse(spool.hasBacklog());
        assertEquals(Long.MAX_VALUE, spool.nanosUntilBatchDue(1_000_000), "nothing spooled: no batch due");
        spool.spool(rows(0, 3));
        assertEquals(1, wakes.get());
        assertTrue(spool.hasBacklog());
        assertEquals("records are spooled to " + directory + " (3 now; at most spoolMaxBytes=" + (1 << 20)
                + " bytes) and written once it is reachable", spool.whileUnreachable());
        spool.close();
        RowSpool always = open(new SpoolSettings(directory.resolve("always"), true, 1 << 20, false, 1000, 100, true,
                5000), uniqueTable());
        assertTrue(always.always());
        always.close();
    }

    @Test
    void aRestartCountsOnlyWhatFollowsTheLocalPositionAndKeepsTheDirectorysId() throws Exception {
        RowSpool first = open(1 << 20);
        String id = ((DiskSpool) first).id();
        first.spool(rows(0, 50));
        first.close();
        SegmentFiles files = new SegmentFiles(directory);
        long segment = files.list().lastKey();
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            offset += Frame.size(CopyLines.encode(row(i)).length);
        }
        LocalState.position(files, new SpoolPosition(segment, offset), false);
        RowSpool second = open(1 << 20);
        awaitSpooled(second, 30);
        assertFalse(id.isEmpty());
        assertEquals(id, ((DiskSpool) second).id());
        second.close();
    }

    @Test
    void aDirectoryWhoseIdCannotBeWrittenIsNotUsedAndItsLockIsReleased() throws Exception {
        Files.createDirectories(directory.resolve(SegmentFiles.ID).resolve("in the way"));
        assertSame(RowSpool.OFF, open(1 << 20));
        assertTrue(lines.stream().anyMatch(l -> l.contains("cannot be used")), lines.toString());
        Files.delete(directory.resolve(SegmentFiles.ID).resolve("in the way"));
        Files.delete(directory.resolve(SegmentFiles.ID));
        RowSpool spool = open(1 << 20);
        assertNotSame(RowSpool.OFF, spool);
        spool.close();
    }

    @Test
    void withIntervalSyncTheSpoolsDaemonThreadForcesUntilCloseEndsIt() throws Exception {
        TableName table = uniqueTable();
        RowSpool spool = open(new SpoolSettings(directory, false, 1 << 20, false, 60_000, 100, true, 5000), table);
        Thread thread = spoolThread(table);
        assertTrue(thread != null && thread.isDaemon(), String.valueOf(thread));
        // Its recovery of an empty directory is over at once; it then waits to force.
        thread.join(500);
        assertTrue(thread.isAlive());
        spool.close();
        thread.join(10_000);
        assertFalse(thread.isAlive(), "close interrupts its wait of spoolSyncIntervalMs");
    }

    @Test
    void withSyncEveryAppendTheSpoolsThreadEndsAfterTheRecovery() throws Exception {
        TableName table = uniqueTable();
        RowSpool spool = open(new SpoolSettings(directory, false, 1 << 20, true, 60_000, 100, true, 5000), table);
        Thread thread = spoolThread(table);
        if (thread != null) {
            thread.join(10_000);
        }
        assertTrue(thread == null || !thread.isAlive(), "nothing to force: it does not wait for spoolSyncIntervalMs");
        spool.spool(rows(0, 2));
        assertEquals(2, spool.stats().spooled());
        spool.close();
    }
}
