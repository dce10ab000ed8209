package stogger.postgres.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Streams the records of one segment file from an offset, through a read-ahead buffer of a fixed
 * size (a record longer than it gets a buffer of its own for that record): a segment is never
 * loaded whole.
 *
 * <p>A frame that is not valid (wrong magic, a length out of range or past the end, a checksum
 * that does not match) is damage. The reader looks for the next valid frame after it: if there
 * is one, the bytes between are skipped ({@link Damage#torn()} false); if there is none, the bad
 * bytes are a torn tail and the reader ends there. Each damage is handed to the listener once per
 * reader; the reader never loops, since every step moves forward.
 */
final class SegmentReader implements Closeable {

    static final int READ_AHEAD = 1 << 20;

    /** A record and where the next one starts. */
    record Entry(byte[] payload, long end) {
    }

    private final FileChannel channel;
    private final long segment;
    private final Consumer<Damage> damage;
    private ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD);
    private long bufferStart;
    private long position;
    private long limit;

    /**
     * @param file the segment
     * @param segment its number, for the damage reports
     * @param offset where to start
     * @param limit how far the file may be read: its size, or what an appender has completed
     * @param damage told of every damaged region
     */
    SegmentReader(Path file, long segment, long offset, long limit, Consumer<Damage> damage) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.segment = segment;
        this.damage = damage;
        this.position = offset;
        this.limit = limit;
        buffer.limit(0);
        bufferStart = offset;
    }

    /** Lets the reader go further: the appender completed more records. */
    void extendTo(long newLimit) {
        limit = Math.max(limit, newLimit);
    }

    /** Where the next record starts. */
    long position() {
        return position;
    }

    long limit() {
        return limit;
    }

    /** The next record, or null at the limit (after a torn tail: at the limit as well). */
    Entry next() throws IOException {
        while (position < limit) {
            Entry entry = frameAt(position);
            if (entry != null) {
                position = entry.end();
                return entry;
            }
            long next = nextValidFrame(position + 1);
            if (next < 0) {
                damage.accept(new Damage(true, segment, position, limit - position));
                position = limit;
                return null;
            }
            damage.accept(new Damage(false, segment, position, next - position));
            position = next;
        }
        return null;
    }

    /** The valid frame at {@code at}, or null. */
    private Entry frameAt(long at) throws IOException {
        if (limit - at < Frame.HEADER || !fill(at, Frame.HEADER)) {
            return null;
        }
        int i = (int) (at - bufferStart);
        if (buffer.getInt(i) != Frame.MAGIC) {
            return null;
        }
        int length = buffer.getInt(i + 4);
        int crc = buffer.getInt(i + 8);
        if (length < 0 || length > Frame.MAX_PAYLOAD || limit - at - Frame.HEADER < length
                || !fill(at, Frame.HEADER + length)) {
            return null;
        }
        i = (int) (at - bufferStart);
        if (Frame.checksum(length, buffer, i + Frame.HEADER) != crc) {
            return null;
        }
        byte[] payload = new byte[length];
        buffer.get(i + Frame.HEADER, payload);
        return new Entry(payload, at + Frame.HEADER + length);
    }

    /** Where the next valid frame after {@code from} starts, or -1 when none does before the limit. */
    private long nextValidFrame(long from) throws IOException {
        for (long at = from; limit - at >= Frame.HEADER; at++) {
            if (!fill(at, 4)) {
                return -1;
            }
            if (buffer.getInt((int) (at - bufferStart)) == Frame.MAGIC && frameAt(at) != null) {
                return at;
            }
        }
        return -1;
    }

    /** Makes bytes [at, at + count) available in the buffer; false when the file ends first. */
    private boolean fill(long at, int count) throws IOException {
        if (at >= bufferStart && at + count <= bufferStart + buffer.limit()) {
            return true;
        }
        if (buffer.capacity() < count) {
            buffer = ByteBuffer.allocate(count);
        } else if (buffer.capacity() > READ_AHEAD && count <= READ_AHEAD) {
            // A long record's buffer is not kept: the heap stays bounded by the read-ahead.
            buffer = ByteBuffer.allocate(READ_AHEAD);
        }
        buffer.clear();
        int want = (int) Math.min(buffer.capacity(), limit - at);
        buffer.limit(Math.max(want, 0));
        bufferStart = at;
        long read = at;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        buffer.flip();
        return buffer.limit() >= count;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
