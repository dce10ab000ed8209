package stogger.postgres.internal.write;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import stogger.core.PostgresRow;

/**
 * Group commit for callers that each wait for their own row: rows handed in while a write runs
 * wait together, and the first of their callers to find no write running writes all of them at
 * once, while the others wait until their row is done. A caller alone writes its row at once.
 * Exactly one write runs at a time; every row handed in is either taken by a write (and then
 * handed to it exactly once) or given back to its caller as not taken in time.
 *
 * <p>Callers released by a write usually log again at once. Were the next write to start at once,
 * it would take only the rows that waited during the last one, and the released callers' rows
 * would make the write after it: groups would alternate between many rows and few, and half the
 * writes would be nearly empty. So after a write of several callers the next one first gathers:
 * it waits until as many rows wait as callers were active in the last write, but never longer
 * than half the last write took nor {@link #GATHER_LIMIT_NANOS}. After a write of one caller with
 * nobody waiting it does not wait at all, so a caller alone pays nothing for this.
 */
final class WriteGroups {

    /** What became of a row handed in. */
    enum Result {
        /** A write took it and resolved it: written, or counted as lost by the write. */
        HANDLED,
        /** No write took it within the timeout; it was withdrawn, and nobody counted it. */
        NOT_TAKEN,
        /** Its caller was interrupted before a write took it; it was withdrawn, and nobody counted it. */
        INTERRUPTED
    }

    /**
     * The longest a write gathers rows before it starts. Callers that log in a loop are back within
     * tens of microseconds; a write that commits takes hundreds.
     */
    static final long GATHER_LIMIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final int maxGroup;
    private final long gatherLimitNanos;
    private boolean writing;
    private boolean gathering;
    /** The callers active in the last write: those it wrote for and those that waited meanwhile. */
    private int lastCallers = 1;
    private long lastWriteNanos;

    /** @param maxGroup the most rows one write takes */
    WriteGroups(int maxGroup) {
        this(maxGroup, GATHER_LIMIT_NANOS);
    }

    /**
     * @param maxGroup the most rows one write takes
     * @param gatherLimitNanos the longest a write gathers rows before it starts
     */
    WriteGroups(int maxGroup, long gatherLimitNanos) {
        this.maxGroup = maxGroup;
        this.gatherLimitNanos = gatherLimitNanos;
    }

    /**
     * Hands in a row and returns once it is resolved, writing it (and the rows that waited with
     * it) with {@code write} when no other write runs. {@code write} must resolve every row it is
     * given and not throw.
     *
     * @param timeoutNanos how long the row may wait before a write takes it
     */
    Result submit(PostgresRow row, long timeoutNanos, Consumer<List<PostgresRow>> write) {
        Entry entry = new Entry(row);
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        lock.lock();
        try {
            waiting.add(entry);
            if (gathering) {
                arrived.signal();
            }
            while (!entry.done) {
                if (!writing) {
                    interrupted |= writeGroup(write);
                    continue;
                }
                if (entry.taken) {
                    // Taken rows are resolved by the write that took them, which is bounded by the server.
                    changed.awaitUninterruptibly();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    waiting.remove(entry);
                    return Result.NOT_TAKEN;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!entry.taken) {
                        waiting.remove(entry);
                        return Result.INTERRUPTED;
                    }
                }
            }
            return Result.HANDLED;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Gathers, then takes the rows waiting and writes them outside the lock; called with the lock
     * held. Returns whether the caller was interrupted while gathering: the write goes on anyway.
     */
    private boolean writeGroup(Consumer<List<PostgresRow>> write) {
        writing = true;
        boolean interrupted = gather();
        List<Entry> group = new ArrayList<>(Math.min(waiting.size(), maxGroup));
        while (!waiting.isEmpty() && group.size() < maxGroup) {
            Entry taken = waiting.poll();
            taken.taken = true;
            group.add(taken);
        }
        List<PostgresRow> rows = new ArrayList<>(group.size());
        for (Entry taken : group) {
            rows.add(taken.row);
        }
        lock.unlock();
        long started = System.nanoTime();
        try {
            write.accept(rows);
        } finally {
            long took = System.nanoTime() - started;
            lock.lock();
            lastWriteNanos = took;
            for (Entry taken : group) {
                taken.done = true;
            }
            lastCallers = Math.min(maxGroup, group.size() + waiting.size());
            writing = false;
            changed.signalAll();
        }
        return interrupted;
    }

    /** Waits, with the lock held and the write claimed, for the callers of the last write to be back. */
    private boolean gather() {
        long left = Math.min(gatherLimitNanos, lastWriteNanos / 2);
        if (waiting.size() >= lastCallers || left <= 0) {
            return false;
        }
        gathering = true;
        try {
            while (waiting.size() < lastCallers && left > 0) {
                left = arrived.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        } finally {
            gathering = false;
        }
    }

    /**
     * Runs {@code action} while no write runs and none starts: for starting and closing the
     * connection. Waits as long as the write running takes.
     */
    void exclusively(Runnable action) {
        lock.lock();
        try {
            while (writing) {
                changed.awaitUninterruptibly();
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        runAndRelease(action);
    }

    /**
     * As {@link #exclusively}, but waits at most {@code timeoutMillis} for the write running;
     * returns false, not having run {@code action}, when it did not end in time. For the spool's
     * replay, which writes its batches between the callers' writes.
     */
    boolean tryExclusively(long timeoutMillis, Runnable action) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (writing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        runAndRelease(action);
        return true;
    }

    /** Runs exclusive work taken with {@code writing = true}, then lets the next write or work start. */
    private void runAndRelease(Runnable action) {
        try {
            action.run();
        } finally {
            lock.lock();
            try {
                writing = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Rows handed in and not yet taken by a write; for tests. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private static final class Entry {
        final PostgresRow row;
        boolean taken;
        boolean done;

        Entry(PostgresRow row) {
            this.row = row;
        }
    }
}
