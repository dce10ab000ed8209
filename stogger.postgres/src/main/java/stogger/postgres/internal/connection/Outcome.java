package stogger.postgres.internal.connection;

/** How a write ended; decided by {@link FailureClassifier}, counted by the writers. */
public enum Outcome {
    /** Committed. */
    WRITTEN,
    /** Refused for a reason of its own (a constraint, a trigger, a value); the connection is fine. */
    REJECTED,
    /**
     * Refused for now, as every row would be (disk full, out of memory, read-only, a server-side
     * timeout, a lock timeout, a revoked privilege): known not to be committed; keep the rows and
     * retry with backoff.
     */
    REFUSED,
    /** The connection is gone or cannot be made; the row was not written. */
    UNREACHABLE,
    /** The client gave up waiting (socket timeout): the write may still commit; never retried. */
    UNKNOWN
}
