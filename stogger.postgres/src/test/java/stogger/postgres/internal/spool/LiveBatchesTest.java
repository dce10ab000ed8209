package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stogger.core.PostgresRow;

/** The numbers of live batches: a batch in doubt gets a control record, and what committed is remembered on disk. */
class LiveBatchesTest {

    @TempDir
    Path directory;

    private final List<String> reports = new CopyOnWriteArrayList<>();

    private LiveBatches live() {
        return new LiveBatches(new SegmentFiles(directory), (m, e, c) -> reports.add(m));
    }

    private static List<PostgresRow> rows(int count) {
        List<PostgresRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new PostgresRow(Instant.now(), "info", "numbered", null, null,
                    Json.createObjectBuilder().add("seq", i).build()));
        }
        return rows;
    }

    @Test
    void batchNumbersArePositiveWithRoomToGrow() {
        for (int i = 0; i < 20; i++) {
            long number = live().next();
            assertTrue(number > 0 && number < 1L << 62, Long.toString(number));
        }
    }

    @Test
    void onlyTheBatchInDoubtGetsAControlRecordAndOnlyOnce() {
        LiveBatches live = live();
        List<PostgresRow> batch = rows(3);
        assertNull(live.controlFor(batch), "nothing in doubt");
        live.failed(live.next(), batch);
        assertNull(live.controlFor(rows(3)), "other rows");
        assertNull(live.controlFor(batch.subList(0, 2)), "part of it");
        byte[] control = live.controlFor(batch);
        assertNotNull(control);
        assertTrue(LiveBatches.isControl(control));
        assertEquals(LiveBatches.controlBytes(), control.length);
        assertNull(live.controlFor(batch), "once");
    }

    @Test
    void aBatchThatCommittedIsKnownToANewProcessAndOneThatDidNotIsNot() throws Exception {
        LiveBatches live = live();
        List<PostgresRow> batch = rows(4);
        long committed = live.next();
        live.failed(committed, batch);
        byte[] control = live.controlFor(batch);
        live.failed(live.next(), batch);
        byte[] notCommitted = live.controlFor(batch);
        live.lastCommitted(committed);
        live.lastCommitted(committed);
        assertEquals(List.of(Long.toString(committed)), Files.readAllLines(directory.resolve(SegmentFiles.LIVE),
                StandardCharsets.US_ASCII), "remembered once");
        LiveBatches later = live();
        assertEquals(4, later.alreadyWritten(control));
        assertEquals(0, later.alreadyWritten(notCommitted));
        assertTrue(reports.isEmpty(), reports.toString());
    }

    @Test
    void aFreshDirectoryHasNothingCommittedAndNothingToReport() {
        LiveBatches live = live();
        List<PostgresRow> batch = rows(1);
        live.failed(live.next(), batch);
        assertEquals(0, live.alreadyWritten(live.controlFor(batch)));
        assertTrue(reports.isEmpty(), reports.toString());
    }

    @Test
    void aLiveFileThatCannotBeReadOrWrittenIsReported() throws Exception {
        Files.createDirectory(directory.resolve(SegmentFiles.LIVE));
        LiveBatches live = live();
        assertTrue(reports.stream().anyMatch(l -> l.startsWith("reading " + directory.resolve(SegmentFiles.LIVE))),
                reports.toString());
        live.lastCommitted(7);
        assertTrue(reports.stream().anyMatch(l -> l.startsWith("writing " + directory.resolve(SegmentFiles.LIVE))),
                reports.toString());
        List<PostgresRow> batch = rows(2);
        live.failed(7, batch);
        assertArrayEquals(new byte[] {0, 'D'}, Arrays.copyOf(live.controlFor(batch), 2));
    }
}
