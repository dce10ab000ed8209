package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What {@code flush()} waits for: every row accepted before it, resolved by the writer. */
class FlushBarrierTest {

    private final FlushBarrier barrier = new FlushBarrier();

    @Test
    void queuedIsAcceptedLessCompletedAndNeverNegative() {
        barrier.accepted();
        barrier.accepted();
        assertEquals(2, barrier.queued());
        barrier.completed(1);
        assertEquals(1, barrier.queued());
        barrier.completed(5);
        assertEquals(0, barrier.queued());
    }

    @Test
    void aFlushReturnsOnceTheRowsAcceptedBeforeItAreCompletedAndWakesTheWriterFirst() throws Exception {
        barrier.accepted();
        barrier.accepted();
        AtomicInteger wakes = new AtomicInteger();
        CompletableFuture<Boolean> flush = CompletableFuture.supplyAsync(() -> {
            try {
                return barrier.await(TimeUnit.SECONDS.toNanos(30), () -> true, wakes::incrementAndGet);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!barrier.flushPending() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(barrier.flushPending(), "the writer sees a flush waiting");
        assertEquals(1, wakes.get());
        barrier.accepted(); // after the flush began: not waited for
        barrier.completed(1);
        assertFalse(flush.isDone(), "one of the two rows is still queued");
        barrier.completed(1);
        assertTrue(flush.get(10, TimeUnit.SECONDS));
        assertFalse(barrier.flushPending());
    }

    @Test
    void aFlushGivesUpAtItsTimeoutAndAtOnceWhenTheWriterStopped() throws Exception {
        barrier.accepted();
        long start = System.nanoTime();
        assertFalse(barrier.await(TimeUnit.MILLISECONDS.toNanos(50), () -> true, () -> { }));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(barrier.await(TimeUnit.SECONDS.toNanos(30), () -> false, () -> { }),
                "a stopped writer resolves nothing more: nothing to wait for");
        assertFalse(barrier.flushPending());
    }
}
