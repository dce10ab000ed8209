package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segments' sizes and their sum follow deletions and cuts; a failure is reported and the segment kept. */
class SegmentSetTest {

    @TempDir
    Path directory;

    private final List<String> reports = new ArrayList<>();

    private SegmentFiles files() {
        return new SegmentFiles(directory);
    }

    private SegmentSet segments(long... sizes) throws IOException {
        for (int i = 0; i < sizes.length; i++) {
            Files.write(files().segment(i + 1), new byte[(int) sizes[i]]);
        }
        return new SegmentSet(files(), (message, exception, code) -> reports.add(message));
    }

    @Test
    void theSegmentsPassedAreDeletedButNotTheActiveOneNorTheCurrent() throws IOException {
        SegmentSet set = segments(100, 200, 300, 400);
        set.deletePassed(new SpoolPosition(4, 50), 3);
        assertFalse(Files.exists(files().segment(1)));
        assertFalse(Files.exists(files().segment(2)));
        assertTrue(Files.exists(files().segment(3)));
        assertTrue(Files.exists(files().segment(4)));
        assertEquals(Map.of(3L, 300L, 4L, 400L), set.sizes());
        assertEquals(300 + 400, set.bytes());
    }

    @Test
    void deletingASegmentTakesItsBytesOffTheSum() throws IOException {
        SegmentSet set = segments(100, 200);
        set.delete(1);
        assertEquals(200, set.bytes());
        assertEquals(Map.of(2L, 200L), set.sizes());
        set.delete(7);
        assertEquals(200, set.bytes(), "an unknown segment changes nothing");
        assertEquals(List.of(), reports);
    }

    @Test
    void aSegmentThatCannotBeDeletedIsReportedAndKept() throws IOException {
        SegmentSet set = segments(100);
        // A non-empty directory in a segment's place cannot be deleted.
        Path blocked = files().segment(2);
        Files.createDirectory(blocked);
        Files.write(blocked.resolve("inside"), new byte[1]);
        set.appended(2, 50, 50);
        set.delete(2);
        assertEquals(1, reports.size());
        assertEquals(Map.of(1L, 100L, 2L, 50L), set.sizes());
        assertEquals(150, set.bytes());
    }

    @Test
    void cuttingATornTailShortensTheFileAndTheSum() throws IOException {
        SegmentSet set = segments(100, 200);
        set.cut(2, 60);
        assertEquals(60, Files.size(files().segment(2)));
        assertEquals(Map.of(1L, 100L, 2L, 60L), set.sizes());
        assertEquals(160, set.bytes());
    }

    @Test
    void aCutThatFailsIsReportedAndChangesNothing() throws IOException {
        SegmentSet set = segments(100);
        set.cut(5, 10);
        assertEquals(1, reports.size());
        assertEquals(Map.of(1L, 100L), set.sizes());
        assertEquals(100, set.bytes());
    }

    @Test
    void appendsGrowTheSumAndTheNextNumberFollowsTheNewest() throws IOException {
        SegmentSet set = segments(100, 200);
        assertEquals(3, set.nextNumber());
        set.started(3);
        set.appended(3, 40, 40);
        assertEquals(340, set.bytes());
        assertEquals(40L, set.sizes().get(3L));
    }
}
