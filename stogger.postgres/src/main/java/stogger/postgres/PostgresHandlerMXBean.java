package stogger.postgres;

/**
 * What a {@link PostgresHandler} shows through JMX, registered in the platform MBeanServer as
 * {@code stogger:type=PostgresHandler,name=<table>} (with {@code ,instance=2}, {@code 3}, ...
 * appended when several handlers of one JVM share a table) and unregistered on close. It reads
 * the same counters as {@link PostgresHandler#stats()}. Open it in {@code jconsole} or
 * {@code jvisualvm} (MBeans tab, domain {@code stogger}).
 */
public interface PostgresHandlerMXBean {

    /** Records committed as rows. */
    long getWritten();

    /** Records lost without being refused by the server: every reason but {@code statement-failed}. */
    long getDropped();

    /** Records the server rejected ({@code statement-failed}). */
    long getFailed();

    /** Records accepted but not yet written or counted as lost (async mode). */
    long getQueued();

    /** Records lost because the async queue was full while connected. */
    long getLostQueueFull();

    /** Records lost because the database was unreachable. */
    long getLostDatabaseUnreachable();

    /** Records dropped while the server refused every write for a while (disk full, read-only, ...). */
    long getLostDatabaseRefused();

    /** Records the server rejected. */
    long getLostStatementFailed();

    /** Records published after close or still queued when close gave up. */
    long getLostClosed();

    /** Records dropped because the handler's settings can never write. */
    long getLostNotConfigured();

    /** Records dropped because the spool had reached {@code spoolMaxBytes}. */
    long getLostSpoolFull();

    /** Records dropped because writing them to the spool failed (disk full, an I/O error). */
    long getLostSpoolFailed();

    /** Spooled records found torn or damaged when the spool was read (one per damaged region). */
    long getLostSpoolDamaged();

    /** Records in the durable spool, waiting to be replayed. */
    long getSpooled();

    /** The spool's size on disk, in bytes. */
    long getSpoolBytes();

    /** About how long the oldest spooled record has waited, in milliseconds; 0 when none does. */
    long getOldestSpooledAgeMillis();

    /** Records written from the spool since start. */
    long getReplayed();

    /** Whether the handler holds an open connection now. */
    boolean isConnected();

    /** When rows were last committed (ISO-8601), or null. */
    String getLastSuccess();

    /** The last error, masked, with its time (ISO-8601), or null. */
    String getLastError();
}
