package stogger.postgres.internal.connection;

import stogger.postgres.internal.config.ConnectionTarget;

/**
 * What the {@link ConnectionKeeper} needs to know to open a connection, in the units of the
 * handler's keys; when to retry is the {@link Backoff}'s.
 *
 * @param target where and how to connect
 * @param connectTimeoutMs longest wait for a connection
 * @param socketTimeoutMs longest wait for one network read or write; 0 waits forever
 * @param synchronousCommit whether the session keeps {@code synchronous_commit} on
 * @param writeTimeoutMs the session's {@code statement_timeout} and {@code lock_timeout}
 * @param transactionPooler whether a transaction pooler sits in between: then no session state
 */
public record ConnectionSettings(ConnectionTarget target, int connectTimeoutMs, int socketTimeoutMs,
        boolean synchronousCommit, int writeTimeoutMs, boolean transactionPooler) {
}
