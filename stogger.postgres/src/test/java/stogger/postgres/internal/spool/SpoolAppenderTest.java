package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends land as frames in the active segment; a segment that reached its size is closed and the next one started. */
class SpoolAppenderTest {

    @TempDir
    Path directory;

    private SegmentFiles files() {
        return new SegmentFiles(directory);
    }

    private static byte[] record(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<byte[]> read(long segment) throws IOException {
        List<byte[]> records = new ArrayList<>();
        Path file = files().segment(segment);
        try (SegmentReader reader = new SegmentReader(file, segment, 0, Files.size(file), d -> {
            throw new AssertionError(d);
        })) {
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                records.add(e.payload());
            }
        }
        return records;
    }

    @Test
    void aSegmentThatReachedItsSizeExactlyIsClosedBeforeTheNextAppend() throws IOException {
        byte[] first = record("first");
        byte[] second = record("second");
        try (SpoolAppender appender = new SpoolAppender(files(), 5, Frame.size(first.length))) {
            appender.append(List.of(first));
            assertTrue(appender.full());
            assertEquals(new SpoolPosition(5, Frame.size(first.length)), appender.completed());
            appender.append(List.of(second));
            assertEquals(6, appender.number());
            assertEquals(new SpoolPosition(6, Frame.size(second.length)), appender.completed());
        }
        assertEquals(1, read(5).size());
        assertArrayEquals(second, read(6).get(0));
    }

    @Test
    void aSegmentBelowItsSizeTakesTheNextAppend() throws IOException {
        byte[] first = record("first");
        try (SpoolAppender appender = new SpoolAppender(files(), 1, Frame.size(first.length) + 1)) {
            appender.append(List.of(first));
            assertFalse(appender.full());
            appender.append(List.of(first, first));
            assertEquals(1, appender.number());
        }
        assertEquals(3, read(1).size());
    }

    @Test
    void everyAppendFollowsThePreviousOneInTheFile() throws IOException {
        List<byte[]> written = new ArrayList<>();
        try (SpoolAppender appender = new SpoolAppender(files(), 1, Long.MAX_VALUE)) {
            for (int i = 0; i < 20; i++) {
                List<byte[]> batch = List.of(record("a" + i), record("b".repeat(i)));
                appender.append(batch);
                written.addAll(batch);
            }
            assertEquals(SpoolAppender.frameBytes(written), appender.size());
        }
        List<byte[]> back = read(1);
        assertEquals(written.size(), back.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(written.get(i), back.get(i));
        }
    }

    @Test
    void aLargeAppendDoesNotKeepItsBuffer() throws Exception {
        byte[] big = new byte[3 << 20];
        try (SpoolAppender appender = new SpoolAppender(files(), 1, Long.MAX_VALUE)) {
            appender.append(List.of(big));
            // The heap stays bounded: one large burst must not pin megabytes for the appender's life.
            var field = SpoolAppender.class.getDeclaredField("buffer");
            field.setAccessible(true);
            assertTrue(((ByteBuffer) field.get(appender)).capacity() < big.length);
        }
        assertArrayEquals(big, read(1).get(0));
    }

    @Test
    void closedAndRolledSegmentsAreNotLeftOpen() throws IOException {
        SpoolAppender appender = new SpoolAppender(files(), 1, Long.MAX_VALUE);
        appender.append(List.of(record("one")));
        appender.roll();
        assertEquals(0, OpenFiles.on(files().segment(1)));
        assertEquals(1, OpenFiles.on(files().segment(2)));
        appender.append(List.of(record("two")));
        appender.close();
        assertEquals(0, OpenFiles.on(files().segment(2)));
        assertEquals(1, read(2).size());
    }

    @Test
    void aSegmentNumberThatExistsIsNotReused() throws IOException {
        Files.write(files().segment(1), new byte[] {1, 2, 3});
        assertThrows(FileAlreadyExistsException.class, () -> new SpoolAppender(files(), 1, Long.MAX_VALUE));
        assertEquals(3, Files.size(files().segment(1)));
    }
}
