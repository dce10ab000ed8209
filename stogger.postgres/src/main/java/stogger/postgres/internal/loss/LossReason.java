package stogger.postgres.internal.loss;

/**
 * Why a record did not become a row. Every lost record has exactly one reason; the label is what
 * stderr, the {@code records-lost} marker rows and the MBean call it.
 */
public enum LossReason {
    /** Async: the queue was full while the writer was connected (and, with {@code block}, stayed full). */
    QUEUE_FULL("queue-full", false),
    /** The database could not be reached: sync drops at once, async once the queue is full. */
    DATABASE_UNREACHABLE("database-unreachable", false),
    /**
     * The server refused every write for a while (disk full, read-only, a timeout, a revoked
     * privilege): sync drops while it lasts; async keeps rows queued and drops once the queue is full.
     */
    DATABASE_REFUSED("database-refused", false),
    /** The server rejected this record for a reason of its own (a constraint, a trigger, a value). */
    STATEMENT_FAILED("statement-failed", true),
    /** Published after close, or still queued when close gave up waiting. */
    CLOSED("closed", false),
    /** The handler's settings can never write (no DSN, an invalid DSN or table name). */
    NOT_CONFIGURED("not-configured", false),
    /** The spool was to take the record but had reached {@code spoolMaxBytes}. */
    SPOOL_FULL("spool-full", false),
    /**
     * The spool was to take the record but writing it failed (disk full, an I/O error), or the
     * record is larger than a spool record may be (64 MiB).
     */
    SPOOL_FAILED("spool-failed", false),
    /** A spooled record found torn or damaged when the spool was read; counted once per damaged region. */
    SPOOL_DAMAGED("spool-damaged", false);

    private final String label;
    private final boolean failed;

    LossReason(String label, boolean failed) {
        this.label = label;
        this.failed = failed;
    }

    /** The reason as written in messages and marker rows: {@code queue-full}, ... */
    public String label() {
        return label;
    }

    /** Whether {@code stats()} counts such a record as failed (tried and refused) rather than dropped. */
    public boolean countsAsFailed() {
        return failed;
    }
}
