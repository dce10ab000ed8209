package stogger.postgres.internal.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.loss.Counters;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * The asynchronous mode: callers put rendered rows into a bounded queue; one writer thread takes
 * them in order and writes each batch in one statement ({@link BatchInsert}: COPY, or
 * {@code INSERT ... SELECT FROM unnest(...)}).
 *
 * <p>Memory is bounded by the queue's capacity plus one batch in flight (a batch whose connection
 * broke while it was being written). A full queue drops the
 * new row (counted) or, with overflow {@code block}, makes the caller wait at most the block
 * timeout. While the database is unreachable the writer keeps its batch and reconnects with the
 * keeper's backoff, so the backlog is written in order once the database is back. A batch that
 * fails for a reason of one of its rows is written row by row, so only the bad rows are lost.
 * {@link #flush()} waits until everything accepted before it is resolved; {@link #close()}
 * drains within the close timeout and counts what it could not write as dropped.
 */
public final class AsyncWriter implements RowSink {

    // The writer notices flush and close requests at least this often while it waits.
    private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ArrayBlockingQueue<PostgresRow> queue;
    private final ConnectionKeeper keeper;
    private final BatchInsert batches;
    private final Counters counters;
    private final FailureReporter reporter;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final boolean block;
    private final long blockTimeoutNanos;
    private final long flushTimeoutMs;
    private final long closeTimeoutMs;
    private final Runnable onWriterThread;
    private final Thread thread;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger flushWaiters = new AtomicInteger();
    private final Object progress = new Object();
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;
    private long droppedAtClose;

    /** The writer's settings, in the units the handler's keys use. */
    public record Limits(int queueCapacity, int batchSize, int flushIntervalMs, boolean block, int blockTimeoutMs,
            int flushTimeoutMs, int closeTimeoutMs) {
    }

    public AsyncWriter(ConnectionKeeper keeper, BatchInsert batches, Counters counters, FailureReporter reporter,
            Limits limits, Runnable onWriterThread) {
        this.queue = new ArrayBlockingQueue<>(limits.queueCapacity());
        this.keeper = keeper;
        this.batches = batches;
        this.counters = counters;
        this.reporter = reporter;
        this.batchSize = limits.batchSize();
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(limits.flushIntervalMs());
        this.block = limits.block();
        this.blockTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.blockTimeoutMs());
        this.flushTimeoutMs = limits.flushTimeoutMs();
        this.closeTimeoutMs = limits.closeTimeoutMs();
        this.onWriterThread = onWriterThread;
        this.thread = new Thread(this::run, "stogger-postgres-writer");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        // The first connection (and the schema) is made on the caller's thread, as in sync mode;
        // starting the thread afterwards hands the keeper over to it.
        keeper.insert();
        thread.start();
    }

    @Override
    public void accept(PostgresRow row) {
        if (closing) {
            counters.dropped(1);
            return;
        }
        boolean taken;
        if (block) {
            try {
                taken = queue.offer(row, blockTimeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taken = false;
            }
        } else {
            taken = queue.offer(row);
        }
        if (taken) {
            accepted.incrementAndGet();
        } else {
            counters.dropped(1);
        }
    }

    @Override
    public long queued() {
        return Math.max(0, accepted.get() - completed.get());
    }

    @Override
    public boolean isConnected() {
        return keeper.isConnected();
    }

    @Override
    public void flush() {
        if (!thread.isAlive()) {
            return;
        }
        long target = accepted.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushTimeoutMs);
        flushWaiters.incrementAndGet();
        try {
            synchronized (progress) {
                while (completed.get() < target && thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        reporter.other("flush timed out after " + flushTimeoutMs + " ms with " + queued()
                                + " records still queued", null, ErrorManager.FLUSH_FAILURE);
                        return;
                    }
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flushWaiters.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs);
        closing = true;
        try {
            thread.join(closeTimeoutMs + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            // A record that raced past the closing check into the queue after the writer stopped.
            int late = queue.drainTo(new ArrayList<>());
            counters.dropped(late);
            completed.addAndGet(late);
        }
        if (thread.isAlive()) {
            reporter.other("the writer did not stop within " + closeTimeoutMs + " ms; " + queued()
                    + " records are still queued and will not be written", null, ErrorManager.CLOSE_FAILURE);
        } else if (droppedAtClose > 0) {
            reporter.other("closed with " + droppedAtClose + " records not written within closeTimeoutMs="
                    + closeTimeoutMs, null, ErrorManager.CLOSE_FAILURE);
        }
    }

    private void run() {
        onWriterThread.run();
        List<PostgresRow> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                if (closing && System.nanoTime() - closeDeadlineNanos >= 0) {
                    dropRemaining(batch);
                    return;
                }
                if (batch.isEmpty()) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    // While the database is unreachable rows stay in the queue, so the queue alone
                    // bounds what is held and decides what is dropped.
                    if (keeper.insert() == null) {
                        pause();
                        continue;
                    }
                    if (!fill(batch)) {
                        continue;
                    }
                }
                if (write(batch)) {
                    complete(batch.size());
                    batch.clear();
                } else {
                    pause();
                }
            }
        } catch (RuntimeException | Error e) {
            reporter.other("the writer thread failed; records are no longer written", e instanceof Exception ex ? ex
                    : null, ErrorManager.WRITE_FAILURE);
            dropRemaining(batch);
        } finally {
            keeper.close();
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Takes the next rows: waits for one, then for more until the batch is full or the flush
     * interval passed since the first (not waiting at all when a flush or close is pending).
     */
    private boolean fill(List<PostgresRow> batch) {
        PostgresRow first = poll(POLL_SLICE_NANOS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        long deadline = System.nanoTime() + flushIntervalNanos;
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0 || closing || flushWaiters.get() > 0) {
                break;
            }
            PostgresRow next = poll(Math.min(left, POLL_SLICE_NANOS));
            if (next != null) {
                batch.add(next);
            }
        }
        return true;
    }

    private PostgresRow poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            stopRequested();
            return null;
        }
    }

    /**
     * Writes the batch, resolving every row as written or failed; returns false, keeping the
     * unresolved rows in the batch, while the database is unreachable.
     */
    private boolean write(List<PostgresRow> batch) {
        if (keeper.insert() == null) {
            return false;
        }
        try {
            batches.write(keeper.connection(), batch);
            counters.written(batch.size());
            return true;
        } catch (SQLException e) {
            if (keeper.isConnectionFailure(e)) {
                keeper.lost(e);
                return false;
            }
            return writeOneByOne(batch);
        }
    }

    /** A batch rejected for one of its rows: each row on its own, so only the bad ones are lost. */
    private boolean writeOneByOne(List<PostgresRow> batch) {
        int done = 0;
        try {
            for (PostgresRow row : batch) {
                PreparedStatement insert = keeper.insert();
                if (insert == null) {
                    return false;
                }
                try {
                    SyncWriter.execute(insert, row);
                    counters.written(1);
                } catch (SQLException e) {
                    if (keeper.isConnectionFailure(e)) {
                        keeper.lost(e);
                        return false;
                    }
                    counters.failed(1);
                    reporter.statementFailed(e);
                }
                done++;
            }
            return true;
        } finally {
            if (done > 0 && done < batch.size()) {
                complete(done);
                batch.subList(0, done).clear();
            }
        }
    }

    private void complete(int rows) {
        completed.addAndGet(rows);
        if (flushWaiters.get() > 0) {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void dropRemaining(List<PostgresRow> batch) {
        long lost = batch.size();
        batch.clear();
        while (queue.poll() != null) {
            lost++;
        }
        counters.dropped(lost);
        droppedAtClose += lost;
        complete((int) Math.min(Integer.MAX_VALUE, lost));
    }

    private void pause() {
        try {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(POLL_SLICE_NANOS) * 5);
        } catch (InterruptedException e) {
            stopRequested();
        }
    }

    /** Interrupting the writer is a request to stop: it drains like close. */
    private void stopRequested() {
        if (!closing) {
            closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs);
            closing = true;
        }
    }
}
