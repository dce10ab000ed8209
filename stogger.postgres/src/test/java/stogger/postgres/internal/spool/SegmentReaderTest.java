package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment files: framing, streaming, a torn tail, damage in the middle, and no loop on garbage. */
class SegmentReaderTest {

    @TempDir
    Path directory;

    private final List<Damage> damage = new ArrayList<>();

    private static byte[] record(int i) {
        return ("record " + i + "\tpayload " + "x".repeat(i % 50) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends records 0..n-1 in one segment and returns the frame offsets. */
    private long[] write(int n) throws IOException {
        long[] offsets = new long[n + 1];
        try (SpoolAppender appender = new SpoolAppender(new SegmentFiles(directory), 1, Long.MAX_VALUE)) {
            for (int i = 0; i < n; i++) {
                offsets[i] = appender.size();
                appender.append(List.of(record(i)));
            }
            offsets[n] = appender.size();
        }
        return offsets;
    }

    private Path segment() {
        return new SegmentFiles(directory).segment(1);
    }

    private List<byte[]> readAll() throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (SegmentReader reader = new SegmentReader(segment(), 1, 0, Files.size(segment()), damage::add)) {
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                records.add(e.payload());
            }
        }
        return records;
    }

    private void flip(long at) throws IOException {
        try (FileChannel channel = FileChannel.open(segment(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10));
            one.rewind();
            channel.write(one, at);
        }
    }

    @Test
    void recordsComeBackInOrderWithTheirFramesChecked() throws IOException {
        long[] offsets = write(30_000);
        List<byte[]> records = readAll();
        assertEquals(30_000, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(record(i), records.get(i));
        }
        assertEquals(List.of(), damage);
        assertEquals(Files.size(segment()), offsets[30_000]);
        assertTrue(offsets[30_000] > SegmentReader.READ_AHEAD, "the test crosses the read-ahead buffer");
    }

    @Test
    void aTornTailIsReportedOnceAndEverythingBeforeItIsRead() throws IOException {
        long[] offsets = write(10);
        long cut = offsets[9] + 7;
        try (FileChannel channel = FileChannel.open(segment(), StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        assertEquals(9, readAll().size());
        assertEquals(List.of(new Damage(true, 1, offsets[9], cut - offsets[9])), damage);
    }

    @Test
    void aFlippedByteInAPayloadSkipsThatRecordOnlyAndTheReaderResynchronises() throws IOException {
        long[] offsets = write(10);
        flip(offsets[4] + Frame.HEADER + 3);
        List<byte[]> records = readAll();
        assertEquals(9, records.size());
        assertArrayEquals(record(3), records.get(3));
        assertArrayEquals(record(5), records.get(4));
        assertEquals(List.of(new Damage(false, 1, offsets[4], offsets[5] - offsets[4])), damage);
    }

    @Test
    void aFlippedByteInALengthIsDetectedByTheChecksumNotFollowed() throws IOException {
        long[] offsets = write(10);
        flip(offsets[2] + 6);
        List<byte[]> records = readAll();
        assertEquals(9, records.size());
        assertArrayEquals(record(3), records.get(2));
        assertEquals(1, damage.size());
        assertFalse(damage.get(0).torn());
    }

    @Test
    void aFlippedByteInTheLastRecordIsATornTail() throws IOException {
        long[] offsets = write(5);
        flip(offsets[4] + Frame.HEADER);
        assertEquals(4, readAll().size());
        assertEquals(List.of(new Damage(true, 1, offsets[4], offsets[5] - offsets[4])), damage);
    }

    @Test
    void garbageEndsTheSegmentWithOneReportAndNoLoop() throws IOException {
        byte[] junk = new byte[200_000];
        new java.util.Random(7).nextBytes(junk);
        Files.write(segment(), junk);
        assertEquals(0, readAll().size());
        assertEquals(List.of(new Damage(true, 1, 0, junk.length)), damage);
    }

    @Test
    void aRecordLongerThanTheReadAheadIsReadWholeAndTheBufferIsNotKept() throws IOException {
        byte[] big = new byte[SegmentReader.READ_AHEAD * 3];
        java.util.Arrays.fill(big, (byte) 'b');
        try (SpoolAppender appender = new SpoolAppender(new SegmentFiles(directory), 1, Long.MAX_VALUE)) {
            appender.append(List.of(record(1)));
            appender.append(List.of(big));
            appender.append(List.of(record(2)));
        }
        List<byte[]> records = readAll();
        assertEquals(3, records.size());
        assertArrayEquals(big, records.get(1));
        assertArrayEquals(record(2), records.get(2));
    }

    @Test
    void afterARecordLongerThanTheReadAheadTheBufferShrinksBack() throws Exception {
        byte[] big = new byte[SegmentReader.READ_AHEAD * 3];
        try (SpoolAppender appender = new SpoolAppender(new SegmentFiles(directory), 1, Long.MAX_VALUE)) {
            appender.append(List.of(big));
            appender.append(List.of(record(2)));
        }
        try (SegmentReader reader = new SegmentReader(segment(), 1, 0, Files.size(segment()), damage::add)) {
            assertEquals(big.length, reader.next().payload().length);
            assertArrayEquals(record(2), reader.next().payload());
            // The heap stays bounded by the read-ahead, however long the records before were.
            var field = SegmentReader.class.getDeclaredField("buffer");
            field.setAccessible(true);
            assertEquals(SegmentReader.READ_AHEAD, ((ByteBuffer) field.get(reader)).capacity());
        }
    }

    @Test
    void theReaderStopsAtItsLimitAndGoesOnWhenTheLimitGrows() throws IOException {
        long[] offsets = write(4);
        try (SegmentReader reader = new SegmentReader(segment(), 1, 0, offsets[2], damage::add)) {
            assertArrayEquals(record(0), reader.next().payload());
            assertArrayEquals(record(1), reader.next().payload());
            assertEquals(null, reader.next());
            reader.extendTo(offsets[4]);
            assertArrayEquals(record(2), reader.next().payload());
            assertEquals(offsets[3], reader.position());
        }
        assertEquals(List.of(), damage, "a limit is not damage");
    }

    /** Reads at most {@code bound} records, so that a reader that loops fails the test instead of hanging it. */
    private List<byte[]> readAtMost(SegmentReader reader, int bound) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
            records.add(e.payload());
            assertTrue(records.size() <= bound, "the reader went back");
        }
        return records;
    }

    private void append(byte[]... payloads) throws IOException {
        try (SpoolAppender appender = new SpoolAppender(new SegmentFiles(directory), 1, Long.MAX_VALUE)) {
            appender.append(List.of(payloads));
        }
    }

    @Test
    void anEmptyRecordIsReadBackAlsoAsTheLastOfTheSegment() throws IOException {
        append(record(1), new byte[0]);
        List<byte[]> records = readAll();
        assertEquals(2, records.size());
        assertArrayEquals(new byte[0], records.get(1));
        assertEquals(List.of(), damage);
    }

    @Test
    void anEmptyLastRecordAfterDamageIsFoundAndTheDamageSkipped() throws IOException {
        append(record(1), record(2), new byte[0]);
        long second = Frame.size(record(1).length);
        flip(second + Frame.HEADER + 1);
        List<byte[]> records = readAll();
        assertEquals(2, records.size());
        assertArrayEquals(new byte[0], records.get(1));
        assertEquals(List.of(new Damage(false, 1, second, Frame.size(record(2).length))), damage);
    }

    @Test
    void readingFromAnOffsetSkipsDamageAfterItAndResynchronises() throws IOException {
        long[] offsets = write(10);
        flip(offsets[6] + Frame.HEADER + 2);
        List<byte[]> records;
        try (SegmentReader reader = new SegmentReader(segment(), 1, offsets[3], offsets[10], damage::add)) {
            records = readAtMost(reader, 7);
        }
        assertEquals(6, records.size());
        assertArrayEquals(record(3), records.get(0));
        assertArrayEquals(record(7), records.get(3));
        assertEquals(List.of(new Damage(false, 1, offsets[6], offsets[7] - offsets[6])), damage);
    }

    @Test
    void aLimitPastTheEndOfTheFileReadsTheRecordsThenReportsTheMissingBytesAsATornTail() throws IOException {
        long[] offsets = write(5);
        List<byte[]> records;
        try (SegmentReader reader = new SegmentReader(segment(), 1, 0, offsets[5] + 100, damage::add)) {
            records = readAtMost(reader, 5);
            assertEquals(offsets[5] + 100, reader.position());
        }
        assertEquals(5, records.size());
        assertArrayEquals(record(4), records.get(4));
        assertEquals(List.of(new Damage(true, 1, offsets[5], 100)), damage);
    }

    @Test
    void bytesPastTheLimitAreNotTakenBeforeTheLimitCoversThem() throws IOException {
        // Past the limit a record may still be being written: what is there now is not what will be.
        byte[] next = record(2);
        append(record(0), record(1), new byte[next.length]);
        long start = Frame.size(record(0).length);
        long end = start + Frame.size(record(1).length);
        try (SegmentReader reader = new SegmentReader(segment(), 1, start, end, damage::add)) {
            assertArrayEquals(record(1), reader.next().payload());
            assertEquals(null, reader.next());
            try (FileChannel channel = FileChannel.open(segment(), StandardOpenOption.WRITE)) {
                ByteBuffer frame = ByteBuffer.allocate(Frame.size(next.length));
                Frame.write(frame, next);
                channel.write(frame.flip(), end);
            }
            reader.extendTo(end + Frame.size(next.length));
            assertArrayEquals(next, reader.next().payload());
        }
        assertEquals(List.of(), damage);
    }

    @Test
    void aRecordOfTheLargestAcceptedLengthIsReadBack() throws IOException {
        byte[] largest = new byte[Frame.MAX_PAYLOAD];
        largest[largest.length - 1] = 'z';
        append(largest, record(1));
        List<byte[]> records = readAll();
        assertEquals(2, records.size());
        assertArrayEquals(largest, records.get(0));
        assertEquals(List.of(), damage);
    }

    @Test
    void theLimitGrowsButNeverShrinks() throws IOException {
        long[] offsets = write(3);
        try (SegmentReader reader = new SegmentReader(segment(), 1, 0, offsets[1], damage::add)) {
            assertEquals(offsets[1], reader.limit());
            reader.extendTo(offsets[3]);
            assertEquals(offsets[3], reader.limit());
            reader.extendTo(offsets[2]);
            assertEquals(offsets[3], reader.limit());
        }
    }

    @Test
    void aClosedReaderLeavesTheSegmentClosed() throws IOException {
        write(3);
        SegmentReader reader = new SegmentReader(segment(), 1, 0, Files.size(segment()), damage::add);
        assertEquals(1, OpenFiles.on(segment()));
        reader.close();
        assertEquals(0, OpenFiles.on(segment()));
    }
}
