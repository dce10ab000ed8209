package stogger.postgres.internal.spool;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;

/**
 * Sync mode's replay: a thread of its own ({@code stogger-postgres-replay[<table>]}) that writes
 * one spooled batch at a time while the database takes writes, each while no caller's write runs,
 * so it shares the one connection with the callers: between two batches the callers write, and a
 * caller waits at most one batch. It sleeps while there is nothing to replay or no connection.
 */
public final class ReplayThread {

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RowSpool spool;
    private final ConnectionKeeper keeper;
    private final Turns turns;
    private final Runnable afterWrite;
    private final Thread thread;
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final Object signal = new Object();
    private volatile boolean stopped;

    /** How the replay gets the connection to itself for one batch. */
    @FunctionalInterface
    public interface Turns {
        /**
         * Runs {@code batch} once no other write runs; false, not having run it, after
         * {@code timeoutMillis} without a turn.
         */
        boolean tryTurn(long timeoutMillis, Runnable batch) throws InterruptedException;
    }

    /**
     * @param turns the sync writer's turns at the connection, one for each batch
     * @param afterWrite runs in the same turn after a batch was written (the marker rows)
     */
    public ReplayThread(RowSpool spool, ConnectionKeeper keeper, Turns turns, Runnable afterWrite, String name) {
        this.spool = spool;
        this.keeper = keeper;
        this.turns = turns;
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
                Outcome[] outcome = new Outcome[1];
                boolean taken = turns.tryTurn(100, () -> {
                    Connection connection = keeper.connection();
                    if (connection != null && !stopped) {
                        outcome[0] = spool.replay(connection, keeper);
                        if (outcome[0] == Outcome.WRITTEN) {
                            refusals.succeeded();
                            keeper.wrote();
                            afterWrite.run();
                        } else if (outcome[0] == Outcome.REFUSED) {
                            refusals.failed();
                        }
                    }
                });
                if (!taken || outcome[0] == null || outcome[0] == Outcome.UNREACHABLE) {
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
