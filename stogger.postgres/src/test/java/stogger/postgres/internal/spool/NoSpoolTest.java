package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A handler without a spool: nothing is ever due, and the outage line says nothing about a spool. */
class NoSpoolTest {

    @Test
    void withoutASpoolNoReplayIsEverDueAndNothingIsKept() {
        RowSpool off = RowSpool.OFF;
        assertFalse(off.enabled());
        assertFalse(off.always());
        assertFalse(off.hasBacklog());
        assertEquals(Long.MAX_VALUE, off.nanosUntilBatchDue(1_000_000));
        assertEquals(SpoolStats.NONE, off.stats());
        assertNull(off.whileUnreachable());
        assertNull(off.replay(null, null));
        assertThrows(IllegalStateException.class, () -> off.spool(List.of()));
    }
}
