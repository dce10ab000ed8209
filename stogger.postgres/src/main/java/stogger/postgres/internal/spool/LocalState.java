package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The small files beside the segments: the directory's id ({@code spool.id}, its row in the
 * progress table) and the local replay position ({@code spool.position}), each replaced whole by
 * an atomic rename, so a crash leaves the old file or the new one, never half of one.
 */
final class LocalState {

    private LocalState() {
    }

    /** The directory's id; a new one (and no local position) for a directory without segments. */
    static String id(SegmentFiles files, boolean fresh) throws IOException {
        Path file = files.file(SegmentFiles.ID);
        if (!fresh && Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        write(files, SegmentFiles.ID, id + "\n", true);
        Files.deleteIfExists(files.file(SegmentFiles.POSITION));
        return id;
    }

    /** The local position, or {@link SpoolPosition#START} when there is none or it cannot be read. */
    static SpoolPosition position(SegmentFiles files) {
        try {
            String[] parts = Files.readString(files.file(SegmentFiles.POSITION), StandardCharsets.US_ASCII).trim()
                    .split(" ");
            return new SpoolPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            // No position (or a damaged one): everything present is replayed.
            return SpoolPosition.START;
        }
    }

    /** Replaces the local position; {@code force} puts it on the disk before the rename. */
    static void position(SegmentFiles files, SpoolPosition position, boolean force) throws IOException {
        write(files, SegmentFiles.POSITION, position.segment() + " " + position.offset() + "\n", force);
    }

    private static void write(SegmentFiles files, String name, String text, boolean force) throws IOException {
        Path temporary = files.file(name + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            if (force) {
                channel.force(false);
            }
        }
        Files.move(temporary, files.file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
