package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The spool's counts as {@code stats()} and the writer's wake-ups read them. */
class BacklogTest {

    private final Backlog backlog = new Backlog();

    @Test
    void theFirstAppendIntoAnEmptySpoolSetsTheOldestRecordsAgeAndLaterOnesDoNot() {
        Instant old = Instant.now().minusSeconds(30);
        assertEquals(0, backlog.appended(3, old));
        assertEquals(3, backlog.appended(2, Instant.now()));
        SpoolStats stats = backlog.stats(1234);
        assertEquals(5, stats.spooled());
        assertEquals(1234, stats.bytes());
        assertTrue(stats.oldestAgeMillis() >= 29_000 && stats.oldestAgeMillis() < 60_000, stats.toString());
        assertEquals(0, stats.replayed());
    }

    @Test
    void replayedRowsMoveTheOldestToTheNewestReplayedAndAnEmptySpoolHasNoAge() {
        backlog.appended(4, Instant.now().minusSeconds(60));
        Instant newer = Instant.now().minusSeconds(10);
        backlog.replayed(3, newer);
        SpoolStats stats = backlog.stats(0);
        assertEquals(1, stats.spooled());
        assertEquals(3, stats.replayed());
        assertTrue(stats.oldestAgeMillis() >= 9_000 && stats.oldestAgeMillis() < 30_000, stats.toString());
        backlog.replayed(1, null);
        stats = backlog.stats(0);
        assertEquals(0, stats.spooled());
        assertEquals(4, stats.replayed());
        assertEquals(4, backlog.replayedCount());
        assertEquals(0, stats.oldestAgeMillis());
    }

    @Test
    void recordsFoundAtStartAndRecordsGoneWithoutReplayAreCountedButNotAsReplayed() {
        backlog.recovered(10, System.currentTimeMillis() - 5_000);
        assertEquals(10, backlog.count());
        backlog.gone(4);
        assertEquals(6, backlog.count());
        assertEquals(0, backlog.replayedCount());
        assertTrue(backlog.stats(0).oldestAgeMillis() >= 4_000);
    }

    @Test
    void aBatchIsDueAtOnceWhenABatchsWorthWaitsElseWhenTheOldestWaitedTheFlushInterval() {
        long interval = TimeUnit.MILLISECONDS.toNanos(100);
        assertEquals(Long.MAX_VALUE, backlog.nanosUntilBatchDue(interval, 10));
        backlog.appended(1, Instant.now());
        long due = backlog.nanosUntilBatchDue(interval, 10);
        assertTrue(due > 0 && due <= interval, Long.toString(due));
        backlog.appended(9, Instant.now());
        assertEquals(0, backlog.nanosUntilBatchDue(interval, 10));
        Backlog old = new Backlog();
        old.appended(1, Instant.now().minusSeconds(1));
        assertEquals(0, old.nanosUntilBatchDue(interval, 10));
    }

    @Test
    void recordsThatAllLeftWithoutReplayLeaveNoOldestAge() {
        backlog.appended(2, Instant.now().minusSeconds(60));
        backlog.gone(2);
        assertEquals(0, backlog.stats(0).spooled());
        assertEquals(0, backlog.stats(0).oldestAgeMillis());
    }
}
