package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;

/** The async writer's queue: its bound, who waits for what, and what wakes whom. */
class RowQueueTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(60);

    private static PostgresRow row(int n) {
        return new PostgresRow(Instant.EPOCH, "info", "row " + n, null, null, JsonValue.EMPTY_JSON_OBJECT);
    }

    private static List<String> events(List<PostgresRow> rows) {
        return rows.stream().map(PostgresRow::event).toList();
    }

    /** Starts a thread and waits until it blocks or waits, or ends. */
    private static Thread waiting(Runnable action) throws InterruptedException {
        Thread thread = new Thread(action);
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() == Thread.State.RUNNABLE || thread.getState() == Thread.State.NEW) {
            assertTrue(System.nanoTime() < deadline, "the thread never waited");
            Thread.sleep(1);
        }
        return thread;
    }

    private static void ended(Thread thread) throws InterruptedException {
        thread.join(10_000);
        assertFalse(thread.isAlive(), "still waiting");
    }

    @Test
    void holdsAtMostItsCapacityAndGivesRowsOldestFirstUpToTheMaximumAsked() {
        RowQueue queue = new RowQueue(3);
        assertTrue(queue.offer(row(1)));
        assertTrue(queue.offer(row(2)));
        assertTrue(queue.offer(row(3)));
        assertFalse(queue.offer(row(4)), "full");
        assertEquals(3, queue.size());
        List<PostgresRow> batch = new ArrayList<>();
        assertEquals(2, queue.drainTo(batch, 2));
        assertEquals(List.of("row 1", "row 2"), events(batch));
        assertEquals(1, queue.size());
        assertEquals(1, queue.drainTo(batch, 10));
        assertEquals(0, queue.drainTo(batch, 10));
        assertEquals(List.of("row 1", "row 2", "row 3"), events(batch));
    }

    @Test
    void clearGivesBackEveryRowOldestFirstAndEmptiesTheQueue() {
        RowQueue queue = new RowQueue(5);
        queue.offer(row(1));
        queue.offer(row(2));
        assertEquals(List.of("row 1", "row 2"), events(queue.clear()));
        assertEquals(0, queue.size());
        assertEquals(List.of(), queue.clear());
    }

    @Test
    void aCallerWaitsForRoomUntilItsTimeoutAndGetsInOnceTheWriterTakesRows() throws Exception {
        RowQueue queue = new RowQueue(1);
        queue.offer(row(1));
        assertFalse(queue.offer(row(2), TimeUnit.MILLISECONDS.toNanos(50)), "no room within the timeout");
        assertFalse(queue.offer(row(2), 0), "a zero timeout does not wait");
        assertEquals(1, queue.size());
        AtomicBoolean taken = new AtomicBoolean();
        Thread caller = waiting(() -> {
            try {
                taken.set(queue.offer(row(2), LONG_WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.drainTo(new ArrayList<>(), 1);
        ended(caller);
        assertTrue(taken.get());
        assertEquals(List.of("row 2"), events(queue.clear()));
    }

    @Test
    void clearingTheQueueMakesRoomForAWaitingCaller() throws Exception {
        RowQueue queue = new RowQueue(1);
        queue.offer(row(1));
        AtomicBoolean taken = new AtomicBoolean();
        Thread caller = waiting(() -> {
            try {
                taken.set(queue.offer(row(2), LONG_WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.clear();
        ended(caller);
        assertTrue(taken.get());
    }

    @Test
    void whileWaitersAreUnwelcomeAFullQueueTurnsCallersAwayAtOnceAndSendsAwayThoseWaiting() throws Exception {
        RowQueue queue = new RowQueue(1);
        queue.offer(row(1));
        AtomicBoolean taken = new AtomicBoolean(true);
        Thread caller = waiting(() -> {
            try {
                taken.set(queue.offer(row(2), LONG_WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.waitersWelcome(false);
        ended(caller);
        assertFalse(taken.get(), "the waiting caller was sent away");
        assertFalse(queue.offer(row(3), LONG_WAIT), "a new caller does not wait");
        queue.waitersWelcome(false);
        queue.waitersWelcome(true);
        Thread again = waiting(() -> {
            try {
                taken.set(queue.offer(row(4), LONG_WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.drainTo(new ArrayList<>(), 1);
        ended(again);
        assertTrue(taken.get(), "once welcome again, a caller waits for room");
    }

    @Test
    void theWriterSleepsUntilAsManyRowsAsItWantsAreQueued() throws Exception {
        RowQueue queue = new RowQueue(10);
        queue.offer(row(1));
        long before = queue.writerWakeUps();
        Thread writer = waiting(() -> await(queue, 3, Long.MAX_VALUE));
        queue.offer(row(2));
        Thread.sleep(50);
        assertTrue(writer.isAlive(), "two rows do not wake a writer that wants three");
        queue.offer(row(3));
        ended(writer);
        assertEquals(before + 1, queue.writerWakeUps());
    }

    @Test
    void theWriterReturnsAtOnceWhenEnoughRowsAreAlreadyQueued() throws Exception {
        RowQueue queue = new RowQueue(10);
        queue.offer(row(1));
        queue.offer(row(2));
        Thread writer = new Thread(() -> await(queue, 2, Long.MAX_VALUE));
        writer.start();
        ended(writer);
    }

    @Test
    void aWakeUpEndsTheWritersSleepAndIsUsedOnce() throws Exception {
        RowQueue queue = new RowQueue(10);
        Thread writer = waiting(() -> await(queue, 0, Long.MAX_VALUE));
        queue.wake();
        ended(writer);
        // A wake-up before the sleep ends the next sleep at once; it does not end the one after.
        queue.wake();
        Thread next = new Thread(() -> await(queue, 1, Long.MAX_VALUE));
        next.start();
        ended(next);
        Thread after = waiting(() -> await(queue, 0, Long.MAX_VALUE));
        Thread.sleep(50);
        assertTrue(after.isAlive(), "a wake-up is used once");
        queue.wake();
        ended(after);
    }

    @Test
    void aTimedSleepEndsAfterItsTimeEvenWithoutRows() throws Exception {
        RowQueue queue = new RowQueue(10);
        AtomicLong slept = new AtomicLong();
        Thread writer = new Thread(() -> {
            long start = System.nanoTime();
            await(queue, 5, TimeUnit.MILLISECONDS.toNanos(100));
            slept.set(System.nanoTime() - start);
        });
        writer.start();
        ended(writer);
        assertTrue(slept.get() >= TimeUnit.MILLISECONDS.toNanos(100), "slept " + slept.get() + " ns");
        Thread zero = new Thread(() -> await(queue, 5, 0));
        zero.start();
        ended(zero);
        assertEquals(2, queue.writerWakeUps());
    }

    @Test
    void aWriterWaitingOnlyForAWakeUpIsNotWokenByRows() throws Exception {
        RowQueue queue = new RowQueue(10);
        Thread writer = waiting(() -> await(queue, 1, Long.MAX_VALUE));
        queue.offer(row(1));
        ended(writer);
        queue.offer(row(2));
        // Waiting for a wake-up only (0 rows wanted): queued rows do not end it.
        Thread next = waiting(() -> await(queue, 0, Long.MAX_VALUE));
        queue.offer(row(3));
        Thread.sleep(50);
        assertTrue(next.isAlive(), "rows do not wake a writer that waits only for a wake-up");
        queue.wake();
        ended(next);
    }

    private static void await(RowQueue queue, int wanted, long nanos) {
        try {
            queue.await(wanted, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
