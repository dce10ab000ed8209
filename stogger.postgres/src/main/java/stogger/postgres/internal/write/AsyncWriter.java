package stogger.postgres.internal.write;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * thread takes them in order and writes each batch in one statement ({@link LiveBatchWriter}).
 * What becomes of a row a caller hands in (queued, waited for, spooled or dropped) is the
 * {@link Admission}'s decision.
 *
 * <p>Memory is bounded by the queue's capacity plus one batch in flight (a batch whose connection
 * broke while it was being written). While the database is
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
    private final Admission admission;
    private final ConnectionKeeper keeper;
    private final LiveBatchWriter batches;
    private final LossLedger ledger;
    private final FailureReporter reporter;
    private final Limits limits;
    private final Runnable onWriterThread;
    private final Thread thread;
    private final FlushBarrier flushes = new FlushBarrier();
    private final Backoff refusals = Backoff.forRefusals(System::nanoTime);
    private final RowSpool spool;
    private boolean replayTurn;
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
        this.admission = new Admission(queue, keeper, spool, ledger, limits);
        this.keeper = keeper;
        this.batches = new LiveBatchWriter(keeper, schema, ledger, spool, refusals, this::complete);
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
        if (admission.admit(row)) {
            flushes.accepted();
        }
    }

    @Override
    public long queued() {
        return flushes.queued();
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
        try {
            if (!flushes.await(millisToNanos(limits.flushTimeoutMs()), thread::isAlive, queue::wake)) {
                reporter.other("flush timed out after " + limits.flushTimeoutMs() + " ms with " + queued()
                        + " records still queued", null, ErrorManager.FLUSH_FAILURE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        flushes.completed(late.size());
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
                    droppedAtClose += dropRemaining(batch, "not written within closeTimeoutMs="
                            + limits.closeTimeoutMs());
                    return;
                }
                if (batch.isEmpty() && closing && queue.size() == 0 && (!spool.hasBacklog()
                        || !keeper.isConnected())) {
                    return;
                }
                // While the database is unreachable or refusing, rows stay in the queue, so the
                // queue alone bounds what is held and decides what is dropped.
                Connection connection = keeper.connection();
                boolean refusing = !refusals.due();
                admission.refusing(refusing);
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
                    if (due > 0 && !closing && !flushes.flushPending() && batch.isEmpty() && queue.size() == 0) {
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
                if (batches.write(connection, batch)) {
                    complete(batch.size());
                    batch.clear();
                }
            }
        } catch (RuntimeException | Error e) {
            reporter.other("the writer thread failed; records are no longer written", e instanceof Exception ex ? ex
                    : null, ErrorManager.WRITE_FAILURE);
            dropRemaining(batch, "the writer thread failed");
        } finally {
            writeLastMarkers();
            keeper.close();
            queue.waitersWelcome(false);
            flushes.releaseAll();
        }
    }

    /** Ends every loss episode and writes its marker row while the connection is there. */
    private void writeLastMarkers() {
        ledger.endAll();
        Connection connection = keeper.isConnected() ? keeper.connection() : null;
        if (connection == null) {
            return;
        }
        try {
            batches.writeMarkers(connection);
        } catch (RuntimeException e) {
            reporter.other("the marker rows of the last loss episodes were not written (their losses were reported)",
                    e, ErrorManager.WRITE_FAILURE);
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
            if (!closing && !flushes.flushPending()) {
                sleep(1, Long.MAX_VALUE);
            }
            if (queue.drainTo(batch, batchSize) == 0) {
                return false;
            }
        }
        long deadline = System.nanoTime() + millisToNanos(limits.flushIntervalMs());
        while (batch.size() < batchSize && !closing && !flushes.flushPending()) {
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
            batches.writeMarkers(connection);
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

    private void complete(int rows) {
        flushes.completed(rows);
    }

    /** The batch and the queue go to the spool, or are lost as closed; returns how many were lost. */
    private int dropRemaining(List<PostgresRow> batch, String detail) {
        if (spool.enabled()) {
            moveToSpool(batch);
            return 0;
        }
        List<PostgresRow> rows = new ArrayList<>(batch);
        batch.clear();
        rows.addAll(queue.clear());
        lostAtClose(rows, detail);
        complete(rows.size());
        return rows.size();
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
