package stogger.postgres.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends framed records to the active segment, which only this process writes: each call is
 * one write to the file (so what a call returned from survives a kill of the process, as it is
 * in the operating system's hands), and {@link #force()} puts it on the disk. A segment that
 * reached its size is closed and the next one started. Not thread-safe: the spool calls it under
 * its lock.
 */
final class SpoolAppender implements Closeable {

    private static final int KEPT_BUFFER = 1 << 20;

    private final SegmentFiles files;
    private final long segmentBytes;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    private long number;
    private long size;
    private boolean dirty;
    private volatile SpoolPosition completed;

    /**
     * @param first the number of the segment to start; it must not exist
     * @param segmentBytes the size from which a segment is closed and the next one started
     */
    SpoolAppender(SegmentFiles files, long first, long segmentBytes) throws IOException {
        this.files = files;
        this.segmentBytes = segmentBytes;
        open(first);
    }

    private void open(long segment) throws IOException {
        channel = FileChannel.open(files.segment(segment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        number = segment;
        size = 0;
        completed = new SpoolPosition(segment, 0);
    }

    /** The active segment and the end of its last complete record; readable from any thread. */
    SpoolPosition completed() {
        return completed;
    }

    /** The bytes these payloads take as frames. */
    static long frameBytes(List<byte[]> payloads) {
        long n = 0;
        for (byte[] payload : payloads) {
            n += Frame.size(payload.length);
        }
        return n;
    }

    /**
     * Whether the next append goes to a new segment; the caller then counts the current one as
     * closed at its size.
     */
    boolean full() {
        return size >= segmentBytes;
    }

    /**
     * Writes the payloads as frames in one write. On failure the segment is cut back to where it
     * was, best effort, so no half frame stays in the middle of it.
     */
    void append(List<byte[]> payloads) throws IOException {
        if (full()) {
            roll();
        }
        int bytes = (int) frameBytes(payloads);
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes);
        }
        buffer.clear();
        for (byte[] payload : payloads) {
            Frame.write(buffer, payload);
        }
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, size + buffer.position());
            }
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        } finally {
            if (buffer.capacity() > KEPT_BUFFER) {
                buffer = ByteBuffer.allocate(64 * 1024);
            }
        }
        size += bytes;
        dirty = true;
        completed = new SpoolPosition(number, size);
    }

    /** The active segment's number. */
    long number() {
        return number;
    }

    /** The active segment's size. */
    long size() {
        return size;
    }

    /** Closes the active segment and starts the next. */
    void roll() throws IOException {
        force();
        channel.close();
        open(number + 1);
    }

    /** Puts what was written on the disk, if anything was since the last time. */
    void force() throws IOException {
        if (dirty) {
            dirty = false;
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            force();
        } finally {
            channel.close();
        }
    }
}
