package stogger.postgres;

/**
 * What a {@link PostgresHandler} did with the records it accepted, since it was created. Every
 * accepted record ends up in exactly one of the first three counts, or is still queued or
 * spooled.
 *
 * @param written rows committed to the table (replayed spooled rows included)
 * @param dropped records not attempted: the database was unreachable (waiting for the next
 *     reconnect), the handler was closed or unconfigured, the queue or the spool was full
 * @param failed records whose INSERT was attempted and failed
 * @param queued records waiting in the asynchronous queue; always 0 in synchronous mode
 * @param spooled records in the durable spool, waiting to be replayed (also those an earlier
 *     process left); 0 without {@code spoolDirectory}
 * @param spoolBytes the spool's size on disk
 * @param oldestSpooledAgeMillis about how long the oldest spooled record has waited; 0 when none
 * @param replayed records written from the spool since start
 */
public record HandlerStats(long written, long dropped, long failed, long queued, long spooled, long spoolBytes,
        long oldestSpooledAgeMillis, long replayed) {

    /**
     * The counts of a handler without a spool.
     *
     * @param written rows committed
     * @param dropped records dropped
     * @param failed records failed
     * @param queued records queued
     */
    public HandlerStats(long written, long dropped, long failed, long queued) {
        this(written, dropped, failed, queued, 0, 0, 0, 0);
    }

    /**
     * Records lost so far: dropped plus failed.
     *
     * @return the number of records that will never become rows
     */
    public long lost() {
        return dropped + failed;
    }
}
