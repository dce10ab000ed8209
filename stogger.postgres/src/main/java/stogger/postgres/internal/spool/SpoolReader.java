package stogger.postgres.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the spool's records in order, oldest segment first, from a position, in batches bounded
 * by a record count and a byte count: at most one batch and one read-ahead buffer are on the
 * heap, whatever the spool's size. It reads the active segment only up to its last complete
 * record, so a record being appended is never mistaken for damage.
 */
final class SpoolReader implements Closeable {

    /** Records read, and the position after the last of them. */
    record Batch(List<byte[]> lines, SpoolPosition end) {
        boolean isEmpty() {
            return lines.isEmpty();
        }
    }

    private final SegmentFiles files;
    private final NavigableMap<Long, Long> segments;
    private final Supplier<SpoolPosition> completed;
    private final Consumer<Damage> damage;
    private SegmentReader current;
    private long currentNumber;
    private SpoolPosition position;

    /**
     * @param segments the segments present and their sizes, kept current by the spool
     * @param completed the active segment and the end of its last complete record
     */
    SpoolReader(SegmentFiles files, NavigableMap<Long, Long> segments, Supplier<SpoolPosition> completed,
            Consumer<Damage> damage, SpoolPosition start) {
        this.files = files;
        this.segments = segments;
        this.completed = completed;
        this.damage = damage;
        this.position = start;
    }

    /** Where the next read starts. */
    SpoolPosition position() {
        return position;
    }

    /** Reads from {@code to} next. */
    void seek(SpoolPosition to) {
        closeCurrent();
        position = to;
    }

    /**
     * Up to {@code maxRecords} records, stopping after the one that reaches {@code maxBytes};
     * the position after each record goes to {@code ends} when it is not null.
     */
    Batch read(int maxRecords, long maxBytes, List<SpoolPosition> ends) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        long bytes = 0;
        while (lines.size() < maxRecords && bytes < maxBytes) {
            if (current == null && !openNext()) {
                break;
            }
            SpoolPosition done = completed.get();
            boolean active = currentNumber == done.segment();
            current.extendTo(active ? done.offset() : segments.getOrDefault(currentNumber, current.limit()));
            SegmentReader.Entry entry = current.next();
            if (entry == null) {
                if (active || currentNumber > done.segment()) {
                    break;
                }
                closeCurrent();
                position = new SpoolPosition(currentNumber + 1, 0);
                continue;
            }
            lines.add(entry.payload());
            bytes += entry.payload().length;
            position = new SpoolPosition(currentNumber, entry.end());
            if (ends != null) {
                ends.add(position);
            }
        }
        return new Batch(lines, position);
    }

    private boolean openNext() throws IOException {
        Long number = segments.ceilingKey(position.segment());
        if (number == null) {
            return false;
        }
        long offset = number == position.segment() ? position.offset() : 0;
        position = new SpoolPosition(number, offset);
        SpoolPosition done = completed.get();
        long limit = number == done.segment() ? done.offset() : segments.getOrDefault(number, 0L);
        current = new SegmentReader(files.segment(number), number, offset, limit, damage);
        currentNumber = number;
        return true;
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // A read-only channel has nothing to lose.
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
