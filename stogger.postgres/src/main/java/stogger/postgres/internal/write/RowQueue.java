package stogger.postgres.internal.write;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import stogger.core.PostgresRow;

/**
 * The bounded queue between the callers and the async writer thread. Unlike a plain blocking
 * queue it lets the writer sleep until there is enough to do (a full batch, or any row when idle)
 * or until it is woken for a flush or a close, so that it never wakes to poll.
 */
final class RowQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition writerWakes = lock.newCondition();
    private final ArrayDeque<PostgresRow> rows;
    private final int capacity;
    // How many rows the sleeping writer waits for; 0 while it is not waiting for rows.
    private int writerWants;
    private boolean woken;
    // While the writer cannot write, a caller never waits for room: nobody waits on a dead database.
    private boolean refuseWaiters;
    private long writerWakeUps;

    RowQueue(int capacity) {
        this.capacity = capacity;
        this.rows = new ArrayDeque<>(Math.min(capacity, 1 << 16));
    }

    /** Adds the row if there is room now. */
    boolean offer(PostgresRow row) {
        lock.lock();
        try {
            return add(row);
        } finally {
            lock.unlock();
        }
    }

    /** Adds the row, waiting up to {@code nanos} for room. */
    boolean offer(PostgresRow row, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (rows.size() >= capacity) {
                if (left <= 0 || refuseWaiters) {
                    return false;
                }
                left = notFull.awaitNanos(left);
            }
            return add(row);
        } finally {
            lock.unlock();
        }
    }

    private boolean add(PostgresRow row) {
        if (rows.size() >= capacity) {
            return false;
        }
        rows.addLast(row);
        if (writerWants > 0 && rows.size() >= writerWants) {
            writerWants = 0;
            writerWakes.signal();
        }
        return true;
    }

    /**
     * Whether callers may wait for room: false while the writer cannot write, which also sends
     * every waiting caller away at once.
     */
    void waitersWelcome(boolean welcome) {
        lock.lock();
        try {
            if (refuseWaiters == welcome) {
                refuseWaiters = !welcome;
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} rows, oldest first, into the batch; returns how many. */
    int drainTo(List<PostgresRow> batch, int max) {
        lock.lock();
        try {
            int n = Math.min(max, rows.size());
            for (int i = 0; i < n; i++) {
                batch.add(rows.pollFirst());
            }
            if (n > 0) {
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer sleeps until at least {@code wanted} rows are queued, {@link #wake()} is called,
     * or {@code nanos} pass ({@code Long.MAX_VALUE}: no time limit). {@code wanted} of 0 waits only
     * for a wake-up or the time.
     */
    void await(int wanted, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (!woken && (wanted == 0 || rows.size() < wanted)) {
                if (left <= 0) {
                    break;
                }
                writerWants = wanted;
                if (nanos == Long.MAX_VALUE) {
                    writerWakes.await();
                } else {
                    left = writerWakes.awaitNanos(left);
                }
            }
            writerWants = 0;
            woken = false;
            writerWakeUps++;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the writer at once: a flush or close is waiting. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            writerWakes.signal();
        } finally {
            lock.unlock();
        }
    }

    /** How often the writer's sleep ended: tells a sleeping writer from a polling one. */
    long writerWakeUps() {
        lock.lock();
        try {
            return writerWakeUps;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return rows.size();
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue; returns the rows it held, oldest first. */
    List<PostgresRow> clear() {
        lock.lock();
        try {
            List<PostgresRow> removed = new java.util.ArrayList<>(rows);
            rows.clear();
            notFull.signalAll();
            return removed;
        } finally {
            lock.unlock();
        }
    }
}
