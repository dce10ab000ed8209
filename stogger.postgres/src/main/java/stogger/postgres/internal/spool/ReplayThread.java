package stogger.postgres.internal.spool;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;

/**
 * Sync mode's replay: a thread of its own ({@code stogger-postgres-replay[<table>]}) that writes
 * one spooled batch at a time while the database takes writes, each under the sync writer's lock,
 * so it shares the one connection with the callers: between two batches the lock is free, and a
 * caller waits at most one batch. It sleeps while there is nothing to replay or no connection.
 */
public final class ReplayThread {

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RowSpool spool;
    private final ConnectionKeeper keeper;
    private final Lock lock;
    private final Runnable afterWrite;
    private final Thread thread;
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final Object signal = new Object();
    private volatile boolean stopped;

    /**
     * @param lock the sync writer's lock, held for each batch
     * @param afterWrite runs under the lock after a batch was written (the marker rows)
     */
    public ReplayThread(RowSpool spool, ConnectionKeeper keeper, Lock lock, Runnable afterWrite, String name) {
        this.spool = spool;
        this.keeper = keeper;
        this.lock = lock;
        this.afterWrite = afterWrite;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        spool.onBacklog(this::wake);
    }

    public void start() {
        thread.start();
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        try {
            while (!stopped) {
                if (!spool.hasBacklog() || !refusals.due()) {
                    pause(spool.hasBacklog() ? refusals.nanosUntilDue() : IDLE_NANOS);
                    continue;
                }
                Outcome outcome = null;
                boolean tried = false;
                if (lock.tryLock(100, TimeUnit.MILLISECONDS)) {
                    try {
                        Connection connection = keeper.connection();
                        if (connection != null && !stopped) {
                            tried = true;
                            outcome = spool.replay(connection, keeper);
                            if (outcome == Outcome.WRITTEN) {
                                refusals.succeeded();
                                keeper.wrote();
                                afterWrite.run();
                            } else if (outcome == Outcome.REFUSED) {
                                refusals.failed();
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                if (!tried || outcome == null || outcome == Outcome.UNREACHABLE) {
                    pause(IDLE_NANOS);
                }
            }
        } catch (InterruptedException e) {
            // Stopping.
        }
    }

    private void pause(long nanos) throws InterruptedException {
        synchronized (signal) {
            if (!stopped) {
                TimeUnit.NANOSECONDS.timedWait(signal, Math.max(1, Math.min(nanos, IDLE_NANOS)));
            }
        }
    }

    /** Stops after the batch under way, waiting for it at most {@code millis}. */
    public void close(long millis) {
        stopped = true;
        wake();
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
