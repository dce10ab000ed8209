package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The descriptors this process holds open on one file (Linux's {@code /proc/self/fd}). */
final class OpenFiles {

    private OpenFiles() {
    }

    static long on(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    // A descriptor closed while listing.
                    return false;
                }
            }).count();
        }
    }
}
