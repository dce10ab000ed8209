package stogger.postgres.internal.connection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.LongSupplier;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.write.Schema;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * Owns the handler's one connection: opens it (with the schema and session settings), hands out
 * the prepared INSERT, tells a broken connection from a failed statement, and after a failure
 * waits with exponential backoff before the next attempt, so that a caller never waits for
 * more than one connect timeout per backoff step. Not thread-safe: the writer calls it under its
 * lock.
 */
public final class ConnectionKeeper implements AutoCloseable {

    private final ConnectionTarget target;
    private final Schema schema;
    private final Connector connector;
    private final FailureReporter reporter;
    private final LongSupplier nanoTime;
    private final Properties properties;
    private final boolean synchronousCommit;
    private final long retryInitialMs;
    private final long retryMaxMs;
    private Connection connection;
    private PreparedStatement insert;
    private volatile boolean connected;
    private long nextAttemptNanos;
    private long nextDelayMs;

    public ConnectionKeeper(ConnectionTarget target, Schema schema, Connector connector, FailureReporter reporter,
            LongSupplier nanoTime, int connectTimeoutMs, int socketTimeoutMs, boolean synchronousCommit,
            int retryInitialMs, int retryMaxMs) {
        this.target = target;
        this.schema = schema;
        this.connector = connector;
        this.reporter = reporter;
        this.nanoTime = nanoTime;
        this.synchronousCommit = synchronousCommit;
        this.retryInitialMs = retryInitialMs;
        this.retryMaxMs = retryMaxMs;
        this.nextDelayMs = retryInitialMs;
        this.nextAttemptNanos = nanoTime.getAsLong();
        Properties props = target.copyOfProperties();
        // pgjdbc takes whole seconds; round up so that a short timeout is not "no timeout".
        props.putIfAbsent("connectTimeout", Integer.toString(ceilSeconds(connectTimeoutMs)));
        props.putIfAbsent("socketTimeout", Integer.toString(socketTimeoutMs == 0 ? 0 : ceilSeconds(socketTimeoutMs)));
        // loginTimeout > 0 makes pgjdbc connect on a thread of its own, whose logging can deadlock
        // against LogManager while LogManager is still constructing this handler.
        props.setProperty("loginTimeout", "0");
        props.putIfAbsent("ApplicationName", "stogger");
        props.putIfAbsent("tcpKeepAlive", "true");
        this.properties = props;
    }

    private static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * The INSERT on a live connection, connecting first when none is open and the backoff has
     * passed.
     *
     * @return the statement, or null while the database is unreachable
     */
    public PreparedStatement insert() {
        if (insert != null) {
            return insert;
        }
        if (nanoTime.getAsLong() - nextAttemptNanos < 0) {
            return null;
        }
        return connect();
    }

    /**
     * Replaces a connection that just broke with one immediate attempt, ignoring the backoff:
     * a backend killed once should not cost the next record.
     *
     * @param cause why the old connection is given up
     * @return the statement on the new connection, or null when the attempt failed
     */
    public PreparedStatement replace(Exception cause) {
        lost(cause);
        return connect();
    }

    /**
     * Gives up a connection that broke: reports it and closes it; the next {@link #insert()}
     * reconnects (at once, unless a backoff is running).
     *
     * @param cause why the connection is given up
     */
    public void lost(Exception cause) {
        reporter.connectionLost(cause);
        discard();
    }

    /** Whether a failure means the connection is unusable (rather than one bad statement). */
    public boolean isConnectionFailure(SQLException failure) {
        String state = failure.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
            return true;
        }
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Whether a connection is open now; safe to call from any thread. */
    public boolean isConnected() {
        return connected;
    }

    private PreparedStatement connect() {
        Connection opened = null;
        try {
            opened = connector.connect(target.jdbcUrl(), properties);
            schema.ensure(opened);
            if (!synchronousCommit) {
                try (Statement statement = opened.createStatement()) {
                    statement.execute("SET synchronous_commit = off");
                }
            }
            insert = opened.prepareStatement(schema.insert());
            connection = opened;
            connected = true;
            nextDelayMs = retryInitialMs;
            reporter.connected();
            return insert;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(opened);
            insert = null;
            connection = null;
            long delay = nextDelayMs;
            nextAttemptNanos = nanoTime.getAsLong() + delay * 1_000_000L;
            nextDelayMs = Math.min(retryMaxMs, delay * 2);
            reporter.connectFailed(e, delay);
            return null;
        }
    }

    /** Closes the connection without reporting; the next {@link #insert()} may reconnect. */
    private void discard() {
        connected = false;
        closeQuietly(connection);
        connection = null;
        insert = null;
    }

    /** The open connection, or null; for writers that need more than the INSERT. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        discard();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // Closing a broken connection fails often and tells nothing new.
            }
        }
    }
}
