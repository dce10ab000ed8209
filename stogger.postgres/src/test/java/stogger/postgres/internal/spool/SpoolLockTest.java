package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per directory: a second taker is refused and learns the owner's pid; a released lock can be taken. */
class SpoolLockTest {

    @TempDir
    Path directory;

    @Test
    void aSecondTakerIsRefusedUntilTheOwnerReleases() throws Exception {
        Path file = directory.resolve(SegmentFiles.LOCK);
        SpoolLock first = SpoolLock.tryTake(file);
        assertNotNull(first);
        assertNull(SpoolLock.tryTake(file));
        assertEquals(Long.toString(ProcessHandle.current().pid()), SpoolLock.owner(file));
        first.close();
        SpoolLock again = SpoolLock.tryTake(file);
        assertNotNull(again);
        again.close();
    }

    @Test
    void neitherARefusedTakerNorAReleasedOwnerKeepsTheFileOpen() throws Exception {
        // A handler that retries the directory must not leak a descriptor per attempt.
        Path file = directory.resolve(SegmentFiles.LOCK);
        SpoolLock owner = SpoolLock.tryTake(file);
        assertEquals(1, OpenFiles.on(file));
        for (int i = 0; i < 3; i++) {
            assertNull(SpoolLock.tryTake(file));
        }
        assertEquals(1, OpenFiles.on(file));
        owner.close();
        assertEquals(0, OpenFiles.on(file));
    }

    @Test
    void theOwnerOfAMissingOrEmptyLockFileIsUnknown() throws Exception {
        Path file = directory.resolve(SegmentFiles.LOCK);
        assertEquals("unknown", SpoolLock.owner(file));
        Files.writeString(file, "\n");
        assertEquals("unknown", SpoolLock.owner(file));
    }
}
