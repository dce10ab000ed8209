package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The names of a spool directory's files: segments {@code segment-<19 digits>.spool}, numbered
 * in the order they were started, the lock file and the local replay position.
 */
final class SegmentFiles {

    static final String LOCK = "spool.lock";
    static final String POSITION = "spool.position";
    static final String ID = "spool.id";
    static final String LIVE = "spool.live";
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".spool";

    private final Path directory;

    SegmentFiles(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    Path segment(long number) {
        return directory.resolve(String.format(Locale.ROOT, "%s%019d%s", PREFIX, number, SUFFIX));
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    /** The segments present, by number, with their sizes; files of other names are left alone. */
    NavigableMap<Long, Long> list() throws IOException {
        NavigableMap<Long, Long> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                if (digits.length() == 19 && digits.chars().allMatch(Character::isDigit)) {
                    segments.put(Long.parseLong(digits), Files.size(file));
                }
            }
        }
        return segments;
    }
}
