package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.Outcome;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.spool.RowSpool;

/**
 * The asynchronous mode: callers put rendered rows into a bounded {@link RowQueue}; one writer
 * thread takes them in order and writes each batch in one statement ({@link BatchInsert}: COPY,
 * or {@code INSERT ... SELECT FROM unnest(...)}).
 *
 * <p>Memory is bounded by the queue's capacity plus one batch in flight (a batch whose connection
 * broke while it was being written). A full queue drops the new row (counted) or, with overflow
 * {@code block}, makes the caller wait at most the block timeout. While the database is
 * unreachable the writer keeps its batch and sleeps until the keeper's next attempt is due, so
 * the backlog is written in order once the database is back. A batch that fails for a reason of
 * one of its rows is written row by row, so only the bad rows are lost. The writer sleeps until
 * it has work or an attempt is due, and wakes at once for {@link #flush()} and {@link #close()}:
 * flush waits until everything accepted before it is resolved; close drains within the close
 * timeout and counts what it could not write as dropped.
 *
 * <p>With a spool, while the database cannot take rows (unreachable or refusing) the writer moves
 * its batch and what is queued into the spool, and a caller that finds the queue full spools its
 * row itself. Once writes work, the writer alternates one replayed batch with one live batch on
 * its connection, so neither starves. With {@code spoolMode = always}, callers append every row to
 * the spool and the writer only replays. At close, what cannot be written in time is spooled.
 */
public final class AsyncWriter implements RowSink {

    /** While unreachable, how long queued rows may wait before the writer moves them into the spool. */
    private static final long SPOOL_MOVE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RowQueue queue;
    private final ConnectionKeeper keeper;
    private final BatchInsert batches;
    private final SingleInsert single;
    private final LossLedger ledger;
    private final FailureReporter reporter;
    private final Limits limits;
    private final Runnable onWriterThread;
    private final Thread thread;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger flushWaiters = new AtomicInteger();
    private final Object progress = new Object();
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final RowSpool spool;
    private boolean replayTurn;
    private volatile boolean refusing;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;
    private long droppedAtClose;

    /** The writer's settings, in the units the handler's keys use. */
    public record Limits(int queueCapacity, int batchSize, int flushIntervalMs, boolean block, int blockTimeoutMs,
            int flushTimeoutMs, int closeTimeoutMs) {
    }

    public AsyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, FailureReporter reporter,
            Limits limits, Runnable onWriterThread) {
        this(keeper, schema, ledger, reporter, limits, onWriterThread, RowSpool.OFF);
    }

    /** An async writer that spools what the database cannot take now, and replays it. */
    public AsyncWriter(ConnectionKeeper keeper, Schema schema, LossLedger ledger, FailureReporter reporter,
            Limits limits, Runnable onWriterThread, RowSpool spool) {
        this.spool = spool;
        this.queue = new RowQueue(limits.queueCapacity());
        this.keeper = keeper;
        this.batches = new BatchInsert(schema);
        this.single = new SingleInsert(schema);
        this.ledger = ledger;
        this.reporter = reporter;
        this.limits = limits;
        this.onWriterThread = onWriterThread;
        reporter.whileUnreachable(this::whileUnreachable);
        reporter.whileRefused(() -> "records are kept in the queue (" + queue.size() + " of "
                + limits.queueCapacity() + ") and dropped only once it is full");
        keeper.onConnected(queue::wake);
        spool.onBacklog(queue::wake);
        this.thread = new Thread(this::run, "stogger-postgres-writer[" + schema.table() + "]");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        // The first connection (and the schema) is made on the caller's thread, as in sync mode;
        // starting the thread afterwards hands the keeper over to it.
        keeper.start();
        thread.start();
    }

    /** What happens to records while the database is unreachable, for the outage line. */
    public String whileUnreachable() {
        if (spool.enabled()) {
            return spool.whileUnreachable();
        }
        return "records are queued (" + queue.size() + " of " + limits.queueCapacity()
                + ") and dropped only once the queue is full";
    }

    @Override
    public void accept(PostgresRow row) {
        if (closing) {
            ledger.lost(LossReason.CLOSED, row.timestamp(), "published after close");
            return;
        }
        if (spool.always()) {
            spool.spool(List.of(row));
            return;
        }
        boolean taken;
        // Nobody waits on a database that is down or refusing: then a full queue drops at once.
        if (limits.block() && keeper.isConnected() && !refusing) {
            try {
                taken = queue.offer(row, millisToNanos(limits.blockTimeoutMs()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taken = false;
            }
        } else {
            taken = queue.offer(row);
        }
        if (taken) {
            accepted.incrementAndGet();
        } else if (spool.enabled() && (refusing || !keeper.isConnected())) {
            spool.spool(List.of(row));
        } else if (refusing) {
            ledger.lost(LossReason.DATABASE_REFUSED, row.timestamp(), "the server refuses writes for now and the"
                    + " queue is full (" + limits.queueCapacity() + " records)");
        } else if (keeper.isConnected()) {
            ledger.lost(LossReason.QUEUE_FULL, row.timestamp(), "the queue is full (" + limits.queueCapacity()
                    + " records)" + (limits.block() ? " for longer than blockTimeoutMs=" + limits.blockTimeoutMs()
                    : " and overflow = drop"));
        } else {
            ledger.lost(LossReason.DATABASE_UNREACHABLE, row.timestamp(), "the database is unreachable and the"
                    + " queue is full (" + limits.queueCapacity() + " records)");
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
        long deadline = System.nanoTime() + millisToNanos(limits.flushTimeoutMs());
        flushWaiters.incrementAndGet();
        queue.wake();
        try {
            synchronized (progress) {
                while (completed.get() < target && thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        reporter.other("flush timed out after " + limits.flushTimeoutMs() + " ms with " + queued()
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
        closeDeadlineNanos = System.nanoTime() + millisToNanos(limits.closeTimeoutMs());
        closing = true;
        queue.wake();
        try {
            thread.join(limits.closeTimeoutMs() + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            reporter.other("the writer did not stop within " + limits.closeTimeoutMs() + " ms; " + queued()
                    + " records are still queued and will not be written", null, ErrorManager.CLOSE_FAILURE);
            return;
        }
        // A record that raced past the closing check into the queue after the writer stopped.
        List<PostgresRow> late = queue.clear();
        if (spool.enabled()) {
            spool.spool(late);
        } else {
            lostAtClose(late, "published while the handler closed");
        }
        completed.addAndGet(late.size());
        if (droppedAtClose > 0) {
            reporter.other("closed with " + droppedAtClose + " records not written within closeTimeoutMs="
                    + limits.closeTimeoutMs(), null, ErrorManager.CLOSE_FAILURE);
        }
    }

    /** How often the writer thread woke from a sleep; for tests. */
    long writerWakeUps() {
        return queue.writerWakeUps();
    }

    private void run() {
        onWriterThread.run();
        List<PostgresRow> batch = new ArrayList<>(limits.batchSize());
        try {
            while (true) {
                if (closing && System.nanoTime() - closeDeadlineNanos >= 0) {
                    dropRemaining(batch);
                    return;
                }
                if (batch.isEmpty() && closing && queue.size() == 0 && (!spool.hasBacklog()
                        || !keeper.isConnected())) {
                    return;
                }
                // While the database is unreachable or refusing, rows stay in the queue, so the
                // queue alone bounds what is held and decides what is dropped.
                Connection connection = keeper.connection();
                refusing = !refusals.due();
                queue.waitersWelcome(connection != null && !refusing);
                if ((connection == null || refusing) && spool.enabled()) {
                    moveToSpool(batch);
                }
                if (connection == null && spool.enabled()) {
                    sleep(limits.batchSize(), SPOOL_MOVE_NANOS);
                    continue;
                }
                if (connection == null) {
                    // The keeper's reconnect thread wakes the writer once it has a connection.
                    sleep(0, Long.MAX_VALUE);
                    continue;
                }
                if (refusing) {
                    sleep(0, refusals.nanosUntilDue());
                    continue;
                }
                if (spool.hasBacklog() && (replayTurn || batch.isEmpty() && queue.size() == 0)) {
                    long due = spool.nanosUntilBatchDue(millisToNanos(limits.flushIntervalMs()));
                    if (due > 0 && !closing && flushWaiters.get() == 0 && batch.isEmpty() && queue.size() == 0) {
                        sleep(1, due);
                        continue;
                    }
                    replayTurn = false;
                    if (replayed(connection, spool.replay(connection, keeper))) {
                        continue;
                    }
                }
                replayTurn = true;
                if (batch.isEmpty() && !fill(batch)) {
                    continue;
                }
                if (write(connection, batch)) {
                    complete(batch.size());
                    batch.clear();
                }
            }
        } catch (RuntimeException | Error e) {
            reporter.other("the writer thread failed; records are no longer written", e instanceof Exception ex ? ex
                    : null, ErrorManager.WRITE_FAILURE);
            dropRemaining(batch);
        } finally {
            ledger.endAll();
            Connection connection = keeper.isConnected() ? keeper.connection() : null;
            if (connection != null) {
                writeMarkers(connection);
            }
            keeper.close();
            queue.waitersWelcome(false);
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Takes the next rows: sleeps until there is one (or a flush or close), then until the batch
     * is full or the flush interval passed since the first, not waiting at all while a flush or
     * close is pending. Returns false when it took nothing.
     */
    private boolean fill(List<PostgresRow> batch) {
        int batchSize = limits.batchSize();
        if (queue.drainTo(batch, batchSize) == 0) {
            if (!closing && flushWaiters.get() == 0) {
                sleep(1, Long.MAX_VALUE);
            }
            if (queue.drainTo(batch, batchSize) == 0) {
                return false;
            }
        }
        long deadline = System.nanoTime() + millisToNanos(limits.flushIntervalMs());
        while (batch.size() < batchSize && !closing && flushWaiters.get() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            sleep(batchSize - batch.size(), left);
            queue.drainTo(batch, batchSize - batch.size());
        }
        return true;
    }

    /** Rows the database cannot take now go to the spool: the in-flight batch first, then the queue. */
    private void moveToSpool(List<PostgresRow> batch) {
        List<PostgresRow> rows = new ArrayList<>(batch);
        batch.clear();
        do {
            spool.spool(rows);
            complete(rows.size());
            rows.clear();
        } while (queue.drainTo(rows, limits.batchSize()) > 0);
    }

    /**
     * Counts a replayed batch's outcome as a live batch's; returns false when there was nothing to
     * replay, so a live batch goes next.
     */
    private boolean replayed(Connection connection, Outcome outcome) {
        if (outcome == null) {
            return false;
        }
        if (outcome == Outcome.WRITTEN) {
            refusals.succeeded();
            keeper.wrote();
            writeMarkers(connection);
        } else if (outcome == Outcome.REFUSED) {
            refusals.failed();
        }
        return true;
    }

    private void sleep(int wantedRows, long nanos) {
        try {
            queue.await(wantedRows, closing ? Math.min(nanos, closeDeadlineNanos - System.nanoTime()) : nanos);
        } catch (InterruptedException e) {
            stopRequested();
        }
    }

    /**
     * Writes the batch, resolving every row as written or failed; returns false, keeping the
     * unresolved rows in the batch, when the connection was lost.
     */
    private boolean write(Connection connection, List<PostgresRow> batch) {
        long mark = ledger.mark();
        try {
            spool.writeLive(connection, batch, batches::write);
            ledger.wrote(batch.size(), mark);
        } catch (SQLException e) {
            Outcome outcome = keeper.batchFailed(e);
            if (outcome == Outcome.UNKNOWN) {
                // The COPY may have committed: counting it as lost may undercount, retrying may duplicate.
                lostAsUnknown(batch);
                return true;
            }
            if (outcome == Outcome.REFUSED) {
                refusals.failed();
            }
            if (outcome != Outcome.REJECTED || !writeOneByOne(connection, batch, mark)) {
                return false;
            }
        }
        refusals.succeeded();
        keeper.wrote();
        return writeMarkers(connection);
    }

    /**
     * The marker rows of ended loss episodes, in one statement after the batch that ended them;
     * returns false when the connection broke (they wait for the next batch).
     */
    private boolean writeMarkers(Connection connection) {
        List<PostgresRow> markers = ledger.takeMarkers();
        if (markers.isEmpty()) {
            return true;
        }
        try {
            batches.write(connection, markers);
            return true;
        } catch (SQLException e) {
            // A marker the server rejects would be rejected forever; its losses are on stderr already.
            if (keeper.batchFailed(e) == Outcome.REJECTED) {
                return true;
            }
            ledger.unwritten(markers);
            return false;
        }
    }

    /** A batch rejected for one of its rows: each row on its own, so only the bad ones are lost. */
    private boolean writeOneByOne(Connection connection, List<PostgresRow> batch, long mark) {
        int done = 0;
        try {
            for (PostgresRow row : batch) {
                try {
                    single.write(connection, row);
                    ledger.wrote(1, mark);
                } catch (SQLException e) {
                    Outcome outcome = keeper.failed(e);
                    if (outcome == Outcome.UNKNOWN) {
                        lostAsUnknown(List.of(row));
                        done++;
                        return false;
                    }
                    if (outcome == Outcome.REFUSED) {
                        refusals.failed();
                    }
                    if (outcome != Outcome.REJECTED) {
                        return false;
                    }
                    ledger.lost(LossReason.STATEMENT_FAILED, row.timestamp(), "rejected by the server: "
                            + keeper.describe(e));
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
        if (spool.enabled()) {
            moveToSpool(batch);
            return;
        }
        List<PostgresRow> rows = new ArrayList<>(batch);
        batch.clear();
        rows.addAll(queue.clear());
        lostAtClose(rows, "not written within closeTimeoutMs=" + limits.closeTimeoutMs());
        droppedAtClose += rows.size();
        complete(rows.size());
    }

    private void lostAsUnknown(List<PostgresRow> rows) {
        ledger.lost(LossReason.STATEMENT_FAILED, rows, "the client's socket timed out, so the write may or may not have"
                + " committed; not retried");
    }

    private void lostAtClose(List<PostgresRow> rows, String detail) {
        ledger.lost(LossReason.CLOSED, rows, detail);
    }

    /** Interrupting the writer is a request to stop: it drains like close. */
    private void stopRequested() {
        if (!closing) {
            closeDeadlineNanos = System.nanoTime() + millisToNanos(limits.closeTimeoutMs());
            closing = true;
        }
    }

    private static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
