package stogger.postgres.internal.connection;

/** How a write ended; decided by {@link FailureClassifier}, counted by the writers. */
public enum Outcome {
    /** Committed. */
    WRITTEN,
    /** Refused for a reason of its own (a constraint, a trigger, a value); the connection is fine. */
    REJECTED,
    /** The connection is gone or cannot be made; the row was not written. */
    UNREACHABLE
}
