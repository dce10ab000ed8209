package stogger.postgres.internal.spool;

import static stogger.postgres.internal.spool.SpoolRows.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.ConnectionSettings;
import stogger.postgres.internal.connection.Connector;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;

/** Sync mode's replay thread: replays while there is a backlog, sleeps (without polling) otherwise, stops on close. */
class ReplayThreadTest {

    private final String name = "replay-test-" + UUID.randomUUID();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final FakeSpool spool = new FakeSpool();
    private final AtomicInteger afterWrites = new AtomicInteger();
    private final AtomicInteger turns = new AtomicInteger();
    private ConnectionKeeper keeper;
    private ReplayThread replay;

    /** A spool of {@code backlog} batches whose replay ends as {@code outcome} says. */
    private static final class FakeSpool implements RowSpool {
        final AtomicInteger backlog = new AtomicInteger();
        final AtomicInteger looks = new AtomicInteger();
        final AtomicInteger replays = new AtomicInteger();
        volatile Outcome outcome = Outcome.WRITTEN;
        volatile boolean replayedWithoutBacklog;
        volatile Runnable wake;
        volatile Runnable during = () -> { };

        @Override
        public boolean hasBacklog() {
            looks.incrementAndGet();
            return backlog.get() > 0;
        }

        @Override
        public Outcome replay(Connection connection, ConnectionKeeper keeper) {
            replays.incrementAndGet();
            replayedWithoutBacklog |= backlog.get() == 0;
            during.run();
            Outcome result = outcome;
            if (result == Outcome.WRITTEN) {
                backlog.decrementAndGet();
            }
            return result;
        }

        @Override
        public void onBacklog(Runnable wake) {
            this.wake = wake;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean always() {
            return false;
        }

        @Override
        public void spool(List<PostgresRow> rows) {
        }

        @Override
        public void prepare(Connection connection) {
        }

        @Override
        public long nanosUntilBatchDue(long flushIntervalNanos) {
            return 0;
        }

        @Override
        public SpoolStats stats() {
            return SpoolStats.NONE;
        }

        @Override
        public String whileUnreachable() {
            return "";
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void stop() {
        if (replay != null) {
            replay.close(10_000);
        }
        if (keeper != null) {
            keeper.close();
        }
    }

    private FailureReporter reporter(ConnectionTarget target) {
        return new FailureReporter((m, e, c) -> reports.add(m), target, () -> 0, () -> "", System::nanoTime);
    }

    private ReplayThread start(boolean turnGiven) {
        ConnectionTarget target = Dsn.parse(TestDatabase.get().dsn(), null, "dsn");
        keeper = new ConnectionKeeper(new ConnectionSettings(target, 5_000, 10_000, true, 5_000, false),
                Connector.driverManager(), c -> { }, reporter(target), new Backoff(100, 100, System::nanoTime));
        keeper.start();
        replay = new ReplayThread(spool, keeper, (timeoutMillis, batch) -> {
            turns.incrementAndGet();
            if (turnGiven) {
                batch.run();
            }
            return turnGiven;
        }, afterWrites::incrementAndGet, name);
        replay.start();
        return replay;
    }

    private Thread thread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    @Test
    void itReplaysEveryBatchWithTheMarkersAfterEachAndNothingWithoutABacklog() throws Exception {
        spool.backlog.set(5);
        start(true);
        assertNotNull(spool.wake, "the spool can wake it");
        Thread thread = thread();
        assertTrue(thread != null && thread.isDaemon(), String.valueOf(thread));
        // The markers are written after the batch, in the same turn.
        await(() -> afterWrites.get() == 5, "the backlog is replayed with its markers");
        assertEquals(0, spool.backlog.get());
        assertEquals(5, spool.replays.get());
        spool.wake.run();
        assertFalse(spool.replayedWithoutBacklog);
    }

    @Test
    void aWriteAfterRefusalsEndsTheRefusalEpisode() throws Exception {
        spool.backlog.set(1);
        spool.during = () -> {
            if (spool.replays.get() == 1) {
                spool.outcome = keeper.batchFailed(new SQLException("out of memory", "53200"));
            } else {
                spool.outcome = Outcome.WRITTEN;
            }
        };
        start(true);
        await(() -> afterWrites.get() == 1, "the backlog is replayed with its markers");
        assertEquals(2, spool.replays.get());
        assertTrue(reports.stream().anyMatch(l -> l.startsWith("the server accepts writes again")), reports.toString());
    }

    // The checks below count what happens in a second: a thread that polled without pausing would
    // count in the hundreds of thousands; pausing up to 200 ms (or backing off) counts about ten.

    @Test
    void anIdleThreadSleepsInsteadOfPolling() throws Exception {
        start(true);
        Thread.sleep(1_000);
        assertTrue(spool.looks.get() <= 30, "looks at the spool: " + spool.looks.get());
        assertEquals(0, spool.replays.get());
    }

    @Test
    void withoutATurnItWaitsBeforeAskingAgain() throws Exception {
        spool.backlog.set(1);
        start(false);
        Thread.sleep(1_000);
        assertTrue(turns.get() >= 1 && turns.get() <= 30, "turns asked: " + turns.get());
    }

    @Test
    void whileTheDatabaseIsUnreachableItWaitsBeforeTryingAgain() throws Exception {
        spool.backlog.set(1);
        spool.outcome = Outcome.UNREACHABLE;
        start(true);
        Thread.sleep(1_000);
        assertTrue(spool.replays.get() >= 1 && spool.replays.get() <= 30, "replays: " + spool.replays.get());
    }

    @Test
    void whenThereWasNothingToReplayAfterAllItWaitsBeforeTryingAgain() throws Exception {
        spool.backlog.set(1);
        spool.outcome = null;
        start(true);
        Thread.sleep(1_000);
        assertTrue(spool.replays.get() >= 1 && spool.replays.get() <= 30, "replays: " + spool.replays.get());
    }

    @Test
    void refusedBatchesAreRetriedWithBackoff() throws Exception {
        spool.backlog.set(1);
        spool.outcome = Outcome.REFUSED;
        start(true);
        Thread.sleep(1_000);
        assertTrue(spool.replays.get() >= 1 && spool.replays.get() <= 30, "replays: " + spool.replays.get());
    }

    @Test
    void closeWaitsForTheBatchUnderWayAndTheThreadEnds() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        spool.backlog.set(1_000);
        spool.during = () -> {
            entered.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        };
        start(true);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Thread thread = thread();
        replay.close(10_000);
        assertEquals(spool.replays.get(), finished.get(), "the batch under way finished");
        assertFalse(thread.isAlive());
    }

    @Test
    void closeFromAnInterruptedThreadKeepsTheInterrupt() throws Exception {
        start(true);
        Thread.currentThread().interrupt();
        try {
            replay.close(10_000);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
