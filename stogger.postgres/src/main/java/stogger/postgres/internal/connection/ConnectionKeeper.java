package stogger.postgres.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * Owns the handler's one connection: opens it (with the schema and the session settings), decides
 * with {@link FailureClassifier} what a failed write means and acts on it (a broken connection is
 * reported and closed, a rejected statement reported), and after a failed attempt waits with
 * the {@link Backoff} before the next, so that a caller never waits for more than one connect
 * timeout per backoff step. Writers only count the outcomes it returns. Not thread-safe: the
 * writer calls it under its lock or from its one thread.
 */
public final class ConnectionKeeper implements AutoCloseable {

    /** Runs on every new connection before it is used: the schema. */
    @FunctionalInterface
    public interface Setup {
        void prepare(Connection connection) throws SQLException;
    }

    private final ConnectionSettings settings;
    private final Connector connector;
    private final Setup setup;
    private final FailureReporter reporter;
    private final Backoff backoff;
    private final Properties properties;
    private Connection connection;
    private volatile boolean connected;

    public ConnectionKeeper(ConnectionSettings settings, Connector connector, Setup setup, FailureReporter reporter,
            Backoff backoff) {
        this.settings = settings;
        this.connector = connector;
        this.setup = setup;
        this.reporter = reporter;
        this.backoff = backoff;
        this.properties = driverProperties(settings);
    }

    private static Properties driverProperties(ConnectionSettings settings) {
        Properties props = settings.target().copyOfProperties();
        // pgjdbc takes whole seconds; round up so that a short timeout is not "no timeout".
        props.putIfAbsent("connectTimeout", Integer.toString(ceilSeconds(settings.connectTimeoutMs())));
        props.putIfAbsent("socketTimeout", Integer.toString(settings.socketTimeoutMs() == 0 ? 0
                : ceilSeconds(settings.socketTimeoutMs())));
        // loginTimeout > 0 makes pgjdbc connect on a thread of its own, whose logging can deadlock
        // against LogManager while LogManager is still constructing this handler.
        props.setProperty("loginTimeout", "0");
        props.putIfAbsent("ApplicationName", "stogger");
        props.putIfAbsent("tcpKeepAlive", "true");
        return props;
    }

    private static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * The live connection, connecting first when none is open and an attempt is due.
     *
     * @return the connection, or null while the database is unreachable
     */
    public Connection connection() {
        if (connection != null) {
            return connection;
        }
        return backoff.due() ? connect() : null;
    }

    /**
     * One immediate attempt, ignoring the backoff, after {@link #failed} found the connection
     * broken: a backend killed once should not cost the next record.
     *
     * @return the new connection, or null when the attempt failed
     */
    public Connection reconnectNow() {
        return connection != null ? connection : connect();
    }

    /**
     * Decides what a failed write of one row on {@link #connection()} means and acts on it: a
     * broken connection is reported and closed (the next {@link #connection()} reconnects), a
     * rejected row is remembered as the last error (the writer counts it as lost, which reports it).
     *
     * @param failure what the driver threw
     * @return {@link Outcome#REJECTED} or {@link Outcome#UNREACHABLE}
     */
    public Outcome failed(SQLException failure) {
        Outcome outcome = batchFailed(failure);
        if (outcome == Outcome.REJECTED) {
            reporter.rejected(failure);
        }
        return outcome;
    }

    /**
     * As {@link #failed}, for a batch: a rejected batch is not an error yet, since its rows are
     * tried one by one next.
     *
     * @param failure what the driver threw
     * @return {@link Outcome#REJECTED} or {@link Outcome#UNREACHABLE}
     */
    public Outcome batchFailed(SQLException failure) {
        Outcome outcome = FailureClassifier.classify(failure, connection);
        if (outcome == Outcome.UNREACHABLE) {
            reporter.connectionLost(failure);
            discard();
        }
        return outcome;
    }

    /** The failure in one masked line, for a loss's detail. */
    public String describe(SQLException failure) {
        return reporter.describe(failure);
    }

    /** How long until the next connection attempt is due, in nanoseconds; 0 when connected or due. */
    public long nanosUntilNextAttempt() {
        return connection != null ? 0 : backoff.nanosUntilDue();
    }

    /** Whether a connection is open now; safe to call from any thread. */
    public boolean isConnected() {
        return connected;
    }

    private Connection connect() {
        Connection opened = null;
        try {
            opened = connector.connect(settings.target().jdbcUrl(), properties);
            setup.prepare(opened);
            if (!settings.synchronousCommit()) {
                try (Statement statement = opened.createStatement()) {
                    statement.execute("SET synchronous_commit = off");
                }
            }
            connection = opened;
            connected = true;
            backoff.succeeded();
            reporter.connected();
            return opened;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(opened);
            reporter.connectFailed(e, backoff.failed());
            return null;
        }
    }

    /** Closes the connection without reporting. */
    private void discard() {
        connected = false;
        closeQuietly(connection);
        connection = null;
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
