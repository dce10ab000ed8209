package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool read across segments in batches: every record once and in order, the active segment
 * only up to its last complete record, from any position, with no segment left open behind.
 */
class SpoolReaderTest {

    @TempDir
    Path directory;

    private final List<Damage> damage = new ArrayList<>();
    private SegmentFiles files;
    private SpoolAppender appender;
    /** The records written, in order, and the position after each. */
    private final List<byte[]> written = new ArrayList<>();
    private final List<SpoolPosition> ends = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        files = new SegmentFiles(directory);
        appender = new SpoolAppender(files, 1, Long.MAX_VALUE);
    }

    @AfterEach
    void closeAppender() throws IOException {
        appender.close();
    }

    private static byte[] record(int i) {
        return ("record " + i + " " + "y".repeat(i * 7)).getBytes(StandardCharsets.UTF_8);
    }

    private void append(int count) throws IOException {
        for (int k = 0; k < count; k++) {
            byte[] payload = record(written.size());
            appender.append(List.of(payload));
            written.add(payload);
            ends.add(appender.completed());
        }
    }

    /** Segment 1 and 2 closed with three records each, segment 3 active with three. */
    private void threeSegments() throws IOException {
        append(3);
        appender.roll();
        append(3);
        appender.roll();
        append(3);
    }

    private SpoolReader reader(SpoolPosition start) throws IOException {
        return reader(files.list(), start);
    }

    private SpoolReader reader(NavigableMap<Long, Long> segments, SpoolPosition start) {
        return new SpoolReader(files, segments, appender::completed, damage::add, start);
    }

    private void assertRecords(int from, int to, List<byte[]> lines) {
        assertEquals(to - from, lines.size());
        for (int i = from; i < to; i++) {
            assertArrayEquals(written.get(i), lines.get(i - from), "record " + i);
        }
    }

    @Test
    void allSegmentsAreReadInOrderWithThePositionAfterEachRecord() throws IOException {
        threeSegments();
        List<SpoolPosition> seen = new ArrayList<>();
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            SpoolReader.Batch batch = reader.read(100, Long.MAX_VALUE, seen);
            assertRecords(0, 9, batch.lines());
            assertFalse(batch.isEmpty());
            assertEquals(appender.completed(), batch.end());
            assertEquals(batch.end(), reader.position());
        }
        assertEquals(ends, seen);
        assertEquals(List.of(), damage);
    }

    @Test
    void aBatchStopsAtTheRecordCount() throws IOException {
        threeSegments();
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            SpoolReader.Batch first = reader.read(4, Long.MAX_VALUE, null);
            assertRecords(0, 4, first.lines());
            assertEquals(ends.get(3), first.end());
            assertRecords(4, 8, reader.read(4, Long.MAX_VALUE, null).lines());
        }
    }

    @Test
    void aBatchStopsAfterTheRecordThatReachesTheByteCount() throws IOException {
        threeSegments();
        long two = written.get(0).length + written.get(1).length;
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            assertRecords(0, 2, reader.read(100, two, null).lines());
        }
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            assertRecords(0, 3, reader.read(100, two + 1, null).lines());
        }
    }

    @Test
    void theActiveSegmentIsReadUpToItsLastCompleteRecordAndLaterAppendsAreReadNext() throws IOException {
        threeSegments();
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            assertRecords(0, 9, reader.read(100, Long.MAX_VALUE, null).lines());
            SpoolReader.Batch none = reader.read(100, Long.MAX_VALUE, null);
            assertTrue(none.isEmpty());
            assertEquals(ends.get(8), none.end());
            append(2);
            assertRecords(9, 11, reader.read(100, Long.MAX_VALUE, null).lines());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void bytesOfTheActiveSegmentPastItsLastCompleteRecordAreNotRead() throws IOException {
        append(4);
        // The sizes say the whole file, as after a record half written; only completed counts.
        NavigableMap<Long, Long> segments = files.list();
        AtomicReference<SpoolPosition> completed = new AtomicReference<>(ends.get(1));
        try (SpoolReader reader = new SpoolReader(files, segments, completed::get, damage::add,
                SpoolPosition.START)) {
            assertRecords(0, 2, reader.read(100, Long.MAX_VALUE, null).lines());
            completed.set(ends.get(3));
            assertRecords(2, 4, reader.read(100, Long.MAX_VALUE, null).lines());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void aClosedSegmentIsReadToItsSizeWhateverTheActiveSegmentsProgress() throws IOException {
        append(1);
        appender.roll();
        append(6);
        assertTrue(appender.completed().offset() > ends.get(0).offset(), "the active segment is the longer");
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            assertRecords(0, 7, reader.read(100, Long.MAX_VALUE, null).lines());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void readingStartsAtThePositionInsideASegment() throws IOException {
        threeSegments();
        try (SpoolReader reader = reader(ends.get(4))) {
            assertRecords(5, 9, reader.read(100, Long.MAX_VALUE, null).lines());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void aPositionInASegmentThatIsGoneStartsAtTheNextSegmentsBeginning() throws IOException {
        threeSegments();
        NavigableMap<Long, Long> segments = files.list();
        segments.remove(2L);
        try (SpoolReader reader = reader(segments, ends.get(4))) {
            assertRecords(6, 9, reader.read(100, Long.MAX_VALUE, null).lines());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void seekingBackReadsAgainFromThere() throws IOException {
        threeSegments();
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            assertRecords(0, 8, reader.read(8, Long.MAX_VALUE, null).lines());
            reader.seek(ends.get(1));
            assertEquals(ends.get(1), reader.position());
            assertRecords(2, 9, reader.read(100, Long.MAX_VALUE, null).lines());
        }
    }

    @Test
    void aSpoolWithoutSegmentsGivesAnEmptyBatchAtTheStart() throws IOException {
        appender.close();
        java.nio.file.Files.delete(files.segment(1));
        SpoolPosition start = new SpoolPosition(1, 0);
        try (SpoolReader reader = new SpoolReader(files, files.list(), () -> start, damage::add, start)) {
            SpoolReader.Batch batch = reader.read(100, Long.MAX_VALUE, null);
            assertTrue(batch.isEmpty());
            assertEquals(start, batch.end());
        }
    }

    @Test
    void aDamagedRecordIsSkippedAndReportedOnce() throws IOException {
        threeSegments();
        Path second = files.segment(2);
        byte[] bytes = java.nio.file.Files.readAllBytes(second);
        long at = ends.get(3).offset() + Frame.HEADER;
        bytes[(int) at] ^= 0x01;
        java.nio.file.Files.write(second, bytes);
        List<byte[]> lines;
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            lines = reader.read(100, Long.MAX_VALUE, null).lines();
        }
        assertEquals(8, lines.size());
        assertArrayEquals(written.get(3), lines.get(3));
        assertArrayEquals(written.get(5), lines.get(4));
        assertEquals(List.of(new Damage(false, 2, ends.get(3).offset(), ends.get(4).offset() - ends.get(3).offset())),
                damage);
    }

    @Test
    void aPassedSegmentIsClosedAndClosingTheReaderClosesTheLast() throws IOException {
        threeSegments();
        SpoolReader reader = reader(SpoolPosition.START);
        reader.read(100, Long.MAX_VALUE, null);
        assertEquals(0, OpenFiles.on(files.segment(1)));
        assertEquals(0, OpenFiles.on(files.segment(2)));
        // The appender holds one; the reader the other.
        assertEquals(2, OpenFiles.on(files.segment(3)));
        reader.close();
        assertEquals(1, OpenFiles.on(files.segment(3)));
    }

    @Test
    void seekingClosesTheSegmentBeingRead() throws IOException {
        threeSegments();
        try (SpoolReader reader = reader(SpoolPosition.START)) {
            reader.read(1, Long.MAX_VALUE, null);
            assertEquals(1, OpenFiles.on(files.segment(1)));
            reader.seek(ends.get(6));
            assertEquals(0, OpenFiles.on(files.segment(1)));
        }
    }
}
