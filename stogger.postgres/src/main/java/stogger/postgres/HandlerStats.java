package stogger.postgres;

/**
 * What a {@link PostgresHandler} did with the records it accepted, since it was created. Every
 * accepted record ends up in exactly one of these counts (or is still queued).
 *
 * @param written rows committed to the table
 * @param dropped records not attempted: the database was unreachable (waiting for the next
 *     reconnect), the handler was closed or unconfigured, or the queue was full
 * @param failed records whose INSERT was attempted and failed
 * @param queued records waiting in the asynchronous queue; always 0 in synchronous mode
 */
public record HandlerStats(long written, long dropped, long failed, long queued) {

    /**
     * Records lost so far: dropped plus failed.
     *
     * @return the number of records that will never become rows
     */
    public long lost() {
        return dropped + failed;
    }
}
