package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconnect schedule, driven by a fake clock. */
class BackoffTest {

    private long now = 5_000_000_000L;
    private final Backoff backoff = new Backoff(100, 1_000, () -> now);

    private void advanceMs(long ms) {
        now += ms * 1_000_000L;
    }

    @Test
    void theFirstAttemptIsDueAtOnce() {
        assertTrue(backoff.due());
        assertEquals(0, backoff.nanosUntilDue());
    }

    @Test
    void delaysDoubleFromTheInitialOneUpToTheMaximum() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(backoff.failed());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1_000L, 1_000L, 1_000L), delays);
    }

    @Test
    void anAttemptIsDueExactlyWhenItsDelayHasPassed() {
        backoff.failed();
        backoff.failed();
        assertEquals(200_000_000L, backoff.nanosUntilDue());
        advanceMs(199);
        assertFalse(backoff.due());
        assertEquals(1_000_000L, backoff.nanosUntilDue());
        advanceMs(1);
        assertTrue(backoff.due());
        advanceMs(10_000);
        assertEquals(0, backoff.nanosUntilDue(), "never negative");
    }

    @Test
    void aSuccessResetsTheDelayAndMakesTheNextAttemptDueAtOnce() {
        backoff.failed();
        backoff.failed();
        backoff.failed();
        advanceMs(400);
        backoff.succeeded();
        assertTrue(backoff.due());
        assertEquals(100L, backoff.failed());
        assertEquals(200L, backoff.failed());
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRaisedToIt() {
        Backoff flat = new Backoff(300, 100, () -> now);
        assertEquals(300L, flat.failed());
        assertEquals(300L, flat.failed());
    }
}
