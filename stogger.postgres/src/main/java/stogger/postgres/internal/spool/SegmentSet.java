package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * The segment files of one spool directory, by number, with their sizes and the bytes they take
 * together ({@code spoolMaxBytes} bounds that sum). Appends grow the newest; replays delete the
 * ones they passed; the start-up recovery cuts a torn tail. Thread-safe.
 */
final class SegmentSet {

    private final SegmentFiles files;
    private final FailureReporter.Sink report;
    private final ConcurrentSkipListMap<Long, Long> sizes;
    private final AtomicLong bytes = new AtomicLong();

    SegmentSet(SegmentFiles files, FailureReporter.Sink report) throws IOException {
        this.files = files;
        this.report = report;
        this.sizes = new ConcurrentSkipListMap<>(files.list());
        for (long size : sizes.values()) {
            bytes.addAndGet(size);
        }
    }

    /** The segments by number, with their sizes; a live view. */
    NavigableMap<Long, Long> sizes() {
        return sizes;
    }

    /** The bytes all segments take. */
    long bytes() {
        return bytes.get();
    }

    /** The number after the newest segment an earlier process left: where this process's appends begin. */
    long nextNumber() {
        return sizes.isEmpty() ? 1 : sizes.lastKey() + 1;
    }

    /** A new, empty segment. */
    void started(long number) {
        sizes.put(number, 0L);
    }

    /** Frames of {@code added} bytes appended to segment {@code number}, which is now {@code size} long. */
    void appended(long number, long size, long added) {
        bytes.addAndGet(added);
        sizes.put(number, size);
    }

    /** Deletes the segments before {@code position}'s, except {@code active}, the one appends go to. */
    void deletePassed(SpoolPosition position, long active) {
        for (Map.Entry<Long, Long> segment : sizes.headMap(position.segment()).entrySet()) {
            long number = segment.getKey();
            if (number < active) {
                delete(number);
            }
        }
    }

    /** Deletes one segment; a failure is reported and the segment kept. */
    void delete(long number) {
        try {
            Files.deleteIfExists(files.segment(number));
            Long size = sizes.remove(number);
            if (size != null) {
                bytes.addAndGet(-size);
            }
        } catch (IOException e) {
            report.report("deleting the replayed spool segment " + files.segment(number) + " failed: " + e, e,
                    ErrorManager.GENERIC_FAILURE);
        }
    }

    /** Cuts segment {@code number} at {@code at}: a torn tail goes. */
    void cut(long number, long at) {
        Path file = files.segment(number);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(at);
            long before = sizes.getOrDefault(number, at);
            sizes.put(number, at);
            bytes.addAndGet(at - before);
        } catch (IOException e) {
            report.report("cutting the torn tail of " + file + " failed: " + e, e, ErrorManager.GENERIC_FAILURE);
        }
    }
}
