package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Positions order by segment first, then by offset; the later of two wins. */
class SpoolPositionTest {

    @Test
    void aLaterSegmentIsLaterWhateverTheOffsets() {
        SpoolPosition early = new SpoolPosition(1, 900);
        SpoolPosition late = new SpoolPosition(2, 10);
        assertTrue(early.compareTo(late) < 0);
        assertTrue(late.compareTo(early) > 0);
    }

    @Test
    void inOneSegmentTheOffsetOrders() {
        assertTrue(new SpoolPosition(3, 10).compareTo(new SpoolPosition(3, 11)) < 0);
        assertTrue(new SpoolPosition(3, 11).compareTo(new SpoolPosition(3, 10)) > 0);
        assertEquals(0, new SpoolPosition(3, 10).compareTo(new SpoolPosition(3, 10)));
    }

    @Test
    void maxIsTheLaterOfTwoInEitherOrder() {
        SpoolPosition early = new SpoolPosition(1, 900);
        SpoolPosition late = new SpoolPosition(2, 10);
        assertEquals(late, SpoolPosition.max(early, late));
        assertEquals(late, SpoolPosition.max(late, early));
        assertEquals(early, SpoolPosition.max(early, new SpoolPosition(1, 899)));
    }

    @Test
    void itPrintsAsSegmentColonOffset() {
        assertEquals("7:4096", new SpoolPosition(7, 4096).toString());
    }
}
