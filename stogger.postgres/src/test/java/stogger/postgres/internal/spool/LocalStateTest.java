package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory's id and the local replay position survive a restart; a fresh directory gets a new id and no position. */
class LocalStateTest {

    @TempDir
    Path directory;

    private SegmentFiles files() {
        return new SegmentFiles(directory);
    }

    @Test
    void theIdIsKeptAcrossRestarts() throws IOException {
        String id = LocalState.id(files(), false);
        assertFalse(id.isBlank());
        assertEquals(id, Files.readString(files().file(SegmentFiles.ID), StandardCharsets.US_ASCII).trim());
        assertEquals(id, LocalState.id(files(), false));
    }

    @Test
    void anIdWrittenBeforeIsReadBack() throws IOException {
        Files.writeString(files().file(SegmentFiles.ID), "  earlier-id \n");
        assertEquals("earlier-id", LocalState.id(files(), false));
    }

    @Test
    void aFreshDirectoryGetsANewIdAndLosesItsPosition() throws IOException {
        String old = LocalState.id(files(), false);
        LocalState.position(files(), new SpoolPosition(4, 100), true);
        String id = LocalState.id(files(), true);
        assertNotEquals(old, id);
        assertEquals(id, LocalState.id(files(), false));
        assertEquals(SpoolPosition.START, LocalState.position(files()));
    }

    @Test
    void aBlankIdFileGetsANewId() throws IOException {
        Files.writeString(files().file(SegmentFiles.ID), " \n");
        String id = LocalState.id(files(), false);
        assertFalse(id.isBlank());
        assertEquals(id, LocalState.id(files(), false));
    }

    @Test
    void thePositionIsReadBackAsWrittenWithOrWithoutForce() throws IOException {
        SpoolPosition forced = new SpoolPosition(12, 34_567);
        LocalState.position(files(), forced, true);
        assertEquals(forced, LocalState.position(files()));
        SpoolPosition unforced = new SpoolPosition(13, 8);
        LocalState.position(files(), unforced, false);
        assertEquals(unforced, LocalState.position(files()));
    }

    @Test
    void noPositionOrADamagedOneReplaysEverything() throws IOException {
        assertEquals(SpoolPosition.START, LocalState.position(files()));
        Files.writeString(files().file(SegmentFiles.POSITION), "12 x\n");
        assertEquals(SpoolPosition.START, LocalState.position(files()));
    }
}
