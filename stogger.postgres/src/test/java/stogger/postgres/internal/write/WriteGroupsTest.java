package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;

/** Rows handed in together are written together; each is written exactly once; nobody waits forever. */
class WriteGroupsTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private static PostgresRow row(int n) {
        return new PostgresRow(Instant.EPOCH, "info", "e" + n, null, null, Json.createObjectBuilder().build());
    }

    @Test
    void aCallerAloneWritesItsOwnRowOnItsOwnThreadAtOnce() {
        WriteGroups groups = new WriteGroups(10);
        PostgresRow row = row(1);
        List<List<PostgresRow>> writes = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        WriteGroups.Result result = groups.submit(row, LONG, rows -> {
            writes.add(List.copyOf(rows));
            writers.add(Thread.currentThread());
        });
        assertEquals(WriteGroups.Result.HANDLED, result);
        assertEquals(List.of(List.of(row)), writes);
        assertSame(Thread.currentThread(), writers.get(0));
        assertEquals(0, groups.waiting());
    }

    @Test
    void rowsHandedInDuringAWriteAreWrittenTogetherInTheNextOne() throws Exception {
        WriteGroups groups = new WriteGroups(100);
        CountDownLatch firstWriteRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<PostgresRow>> writes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<WriteGroups.Result> first = pool.submit(() -> groups.submit(row(0), LONG, rows -> {
                writes.add(List.copyOf(rows));
                firstWriteRuns.countDown();
                await(release);
            }));
            assertTrue(firstWriteRuns.await(10, TimeUnit.SECONDS));
            List<Future<WriteGroups.Result>> others = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int n = i;
                others.add(pool.submit(() -> groups.submit(row(n), LONG, rows -> writes.add(List.copyOf(rows)))));
            }
            waitUntil(() -> groups.waiting() == 5);
            release.countDown();
            assertEquals(WriteGroups.Result.HANDLED, first.get(10, TimeUnit.SECONDS));
            for (Future<WriteGroups.Result> other : others) {
                assertEquals(WriteGroups.Result.HANDLED, other.get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, writes.size(), "one write for the first row, one for the five that waited: " + writes);
            assertEquals(5, writes.get(1).size());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aCallerReleasedByAWriteJoinsTheNextOneInsteadOfMakingAWriteOfItsOwn() throws Exception {
        WriteGroups groups = new WriteGroups(100, TimeUnit.SECONDS.toNanos(10));
        List<List<PostgresRow>> writes = Collections.synchronizedList(new ArrayList<>());
        PostgresRow a1 = row(1);
        PostgresRow a2 = row(2);
        PostgresRow b1 = row(3);
        Thread b = new Thread(() -> groups.submit(b1, LONG, rows -> writes.add(List.copyOf(rows))));
        groups.submit(a1, LONG, rows -> {
            writes.add(List.copyOf(rows));
            b.start();
            waitUntilQuietly(() -> groups.waiting() == 1);
            // The write lasts 1 s, so the next may gather for 0.5 s.
            sleep(1_000);
        });
        // Caller-side work before the next record (the caller's frame, the rendering) takes a while.
        sleep(50);
        groups.submit(a2, LONG, rows -> writes.add(List.copyOf(rows)));
        b.join(10_000);
        assertEquals(List.of(List.of(a1), List.of(b1, a2)), writes);
    }

    @Test
    void aWriteGathersNoLongerThanItsLimitWhenTheReleasedCallersDoNotComeBack() throws Exception {
        long limit = TimeUnit.MILLISECONDS.toNanos(300);
        assertEquals(limit, gapBeforeTheNextWrite(limit, 2_000), limit / 2);
    }

    @Test
    void aWriteGathersNoLongerThanHalfTheLastWriteTook() throws Exception {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(300), gapBeforeTheNextWrite(LONG, 600),
                TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void afterAWriteOfOneCallerWithNobodyWaitingTheNextWriteStartsAtOnce() {
        WriteGroups groups = new WriteGroups(100, TimeUnit.SECONDS.toNanos(10));
        groups.submit(row(1), LONG, rows -> sleep(2_000));
        long[] started = new long[1];
        long submitted = System.nanoTime();
        groups.submit(row(2), LONG, rows -> started[0] = System.nanoTime());
        // It could gather for 1 s; it must not.
        assertTrue(started[0] - submitted < TimeUnit.MILLISECONDS.toNanos(500),
                "waited " + (started[0] - submitted) / 1_000_000 + " ms");
    }

    /**
     * A caller and a second one that waits during the first write, which lasts {@code writeMillis};
     * the first caller never logs again. Returns how long after the first write the second started.
     */
    private static long gapBeforeTheNextWrite(long gatherLimitNanos, long writeMillis) throws Exception {
        WriteGroups groups = new WriteGroups(100, gatherLimitNanos);
        long[] secondStarted = new long[1];
        Thread second = new Thread(() -> groups.submit(row(2), LONG, rows -> secondStarted[0] = System.nanoTime()));
        groups.submit(row(1), LONG, rows -> {
            second.start();
            waitUntilQuietly(() -> groups.waiting() == 1);
            sleep(writeMillis);
        });
        long firstEnded = System.nanoTime();
        second.join(10_000);
        assertFalse(second.isAlive(), "the second caller still waits");
        return secondStarted[0] - firstEnded;
    }

    @Test
    void manyThreadsEachRowWrittenExactlyOnceAndGroupsNeverExceedTheLimit() throws Exception {
        WriteGroups groups = new WriteGroups(3);
        List<PostgresRow> written = Collections.synchronizedList(new ArrayList<>());
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        List<PostgresRow> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            List<PostgresRow> mine = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                mine.add(row(t * 1000 + i));
            }
            all.addAll(mine);
            futures.add(pool.submit(() -> {
                for (PostgresRow row : mine) {
                    assertEquals(WriteGroups.Result.HANDLED, groups.submit(row, LONG, rows -> {
                        sizes.add(rows.size());
                        written.addAll(rows);
                        Thread.onSpinWait();
                    }));
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(all.size(), written.size());
        Set<PostgresRow> distinct = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(written);
        assertEquals(all.size(), distinct.size(), "a row was written twice");
        assertTrue(new HashSet<>(sizes).stream().allMatch(size -> size >= 1 && size <= 3), sizes.toString());
    }

    @Test
    void aRowNotTakenWithinTheTimeoutIsWithdrawnAndNeverWritten() throws Exception {
        WriteGroups groups = new WriteGroups(10);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<PostgresRow> written = Collections.synchronizedList(new ArrayList<>());
        Thread blocker = new Thread(() -> groups.submit(row(0), LONG, rows -> {
            written.addAll(rows);
            writing.countDown();
            await(release);
        }));
        blocker.start();
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        PostgresRow late = row(1);
        WriteGroups.Result result = groups.submit(late, TimeUnit.MILLISECONDS.toNanos(200), written::addAll);
        release.countDown();
        blocker.join(10_000);
        assertEquals(WriteGroups.Result.NOT_TAKEN, result);
        assertEquals(0, groups.waiting());
        assertFalse(written.contains(late));
        // The next caller is not held up by the withdrawn row.
        assertEquals(WriteGroups.Result.HANDLED, groups.submit(row(2), LONG, written::addAll));
        assertEquals(2, written.size());
    }

    @Test
    void anInterruptedCallerWhoseRowWasNotTakenGetsItBackAndKeepsItsInterrupt() throws Exception {
        WriteGroups groups = new WriteGroups(10);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = new Thread(() -> groups.submit(row(0), LONG, rows -> {
            writing.countDown();
            await(release);
        }));
        blocker.start();
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        List<Object> outcome = Collections.synchronizedList(new ArrayList<>());
        Thread caller = new Thread(() -> {
            outcome.add(groups.submit(row(1), LONG, rows -> outcome.add("written")));
            outcome.add(Thread.currentThread().isInterrupted());
        });
        caller.start();
        waitUntil(() -> groups.waiting() == 1);
        caller.interrupt();
        caller.join(10_000);
        release.countDown();
        blocker.join(10_000);
        assertEquals(List.of(WriteGroups.Result.INTERRUPTED, true), outcome);
    }

    @Test
    void anInterruptedCallerWhoseRowWasTakenWaitsForTheWriteAndKeepsItsInterrupt() throws Exception {
        WriteGroups groups = new WriteGroups(10);
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Thread blocker = new Thread(() -> groups.submit(row(0), LONG, rows -> {
            firstWriting.countDown();
            await(releaseFirst);
        }));
        blocker.start();
        assertTrue(firstWriting.await(10, TimeUnit.SECONDS));
        // Two callers wait; once the first write ends, one of them writes both rows and blocks.
        CountDownLatch secondWriting = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        List<Thread> writers = Collections.synchronizedList(new ArrayList<>());
        Map<Thread, List<Object>> outcomes = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            PostgresRow row = row(i);
            Thread caller = new Thread(() -> {
                List<Object> outcome = new ArrayList<>();
                outcome.add(groups.submit(row, LONG, rows -> {
                    writers.add(Thread.currentThread());
                    secondWriting.countDown();
                    await(releaseSecond);
                }));
                outcome.add(Thread.currentThread().isInterrupted());
                outcomes.put(Thread.currentThread(), outcome);
            });
            callers.add(caller);
            caller.start();
        }
        waitUntil(() -> groups.waiting() == 2);
        releaseFirst.countDown();
        assertTrue(secondWriting.await(10, TimeUnit.SECONDS));
        Thread taken = callers.get(0) == writers.get(0) ? callers.get(1) : callers.get(0);
        waitUntil(() -> isWaiting(taken));
        taken.interrupt();
        Thread.sleep(100);
        // Waiting still, not spinning on its interrupt, and not returning before its row is resolved.
        assertTrue(isWaiting(taken), "state " + taken.getState());
        assertFalse(outcomes.containsKey(taken));
        releaseSecond.countDown();
        taken.join(10_000);
        for (Thread caller : callers) {
            caller.join(10_000);
        }
        blocker.join(10_000);
        assertEquals(List.of(WriteGroups.Result.HANDLED, true), outcomes.get(taken));
        assertEquals(1, writers.size());
    }

    @Test
    void exclusiveWorkWaitsForTheRunningWriteAndHoldsBackTheNext() throws Exception {
        WriteGroups groups = new WriteGroups(10);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Thread blocker = new Thread(() -> groups.submit(row(0), LONG, rows -> {
            writing.countDown();
            await(release);
            order.add("write 1");
        }));
        blocker.start();
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        CountDownLatch exclusiveRuns = new CountDownLatch(1);
        CountDownLatch exclusiveRelease = new CountDownLatch(1);
        Thread exclusive = new Thread(() -> groups.exclusively(() -> {
            order.add("exclusive");
            exclusiveRuns.countDown();
            await(exclusiveRelease);
        }));
        exclusive.start();
        Thread.sleep(100);
        assertEquals(List.of(), order, "exclusive work began while a write ran");
        release.countDown();
        assertTrue(exclusiveRuns.await(10, TimeUnit.SECONDS));
        Thread next = new Thread(() -> groups.submit(row(1), LONG, rows -> order.add("write 2")));
        next.start();
        Thread.sleep(100);
        assertEquals(List.of("write 1", "exclusive"), order, "a write began during exclusive work");
        exclusiveRelease.countDown();
        next.join(10_000);
        exclusive.join(10_000);
        blocker.join(10_000);
        assertEquals(List.of("write 1", "exclusive", "write 2"), order);
    }

    private static boolean isWaiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntilQuietly(java.util.function.BooleanSupplier condition) {
        try {
            waitUntil(condition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(5);
        }
    }
}
