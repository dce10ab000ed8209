package stogger.postgres.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * Owns the handler's one connection: opens it (with the schema and the session settings), decides
 * with {@link FailureClassifier} what a failed write means and acts on it (a broken connection is
 * reported and closed, a refusal reported), and reconnects.
 *
 * <p>Only the first attempt, at start, runs on the caller's thread. After that a connection that
 * is gone is replaced by a thread of its own ({@code stogger-postgres-connect[<table>]}): it
 * attempts on the {@link Backoff}'s schedule and, while the server is absent, probes every
 * {@value #PROBE_INTERVAL_MS} ms whether it listens again ({@link Reachability}), so writing
 * resumes within about that long of the server's return. {@link #connection()} never waits: it
 * hands over what that thread opened, or null. The writer side (the sync writer's lock, the
 * async writer's thread) calls everything else; only {@link #isConnected()} is for any thread.
 */
public final class ConnectionKeeper implements AutoCloseable {

    /** How often the reconnect thread checks whether an absent server listens again. */
    public static final int PROBE_INTERVAL_MS = 500;
    /** How long a writer waits for the immediate replacement of a connection that just broke. */
    public static final int RECONNECT_WAIT_MS = 500;

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
    private final Reachability reachability;
    private final String threadName;
    // Held for a whole connection attempt; the reconnect thread's wake-ups use another monitor, so
    // a caller asking for a connection never waits for an attempt.
    private final Object attempts = new Object();
    private final Object signal = new Object();
    private final AtomicReference<Connection> opened = new AtomicReference<>();
    private volatile Runnable onConnected = () -> { };
    private Connection connection;
    private volatile boolean connected;
    private volatile boolean wanted;
    private volatile boolean closed;
    private volatile boolean lastFailureServerAbsent = true;
    private volatile boolean lastFailureSetup;
    private Thread reconnector;

    public ConnectionKeeper(ConnectionSettings settings, Connector connector, Setup setup, FailureReporter reporter,
            Backoff backoff) {
        this(settings, connector, setup, reporter, backoff, "stogger-postgres-connect");
    }

    public ConnectionKeeper(ConnectionSettings settings, Connector connector, Setup setup, FailureReporter reporter,
            Backoff backoff, String threadName) {
        this.settings = settings;
        this.connector = connector;
        this.setup = setup;
        this.reporter = reporter;
        this.backoff = backoff;
        this.properties = driverProperties(settings);
        this.reachability = Reachability.of(settings.target());
        this.threadName = threadName;
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
        if (settings.transactionPooler()) {
            // Each transaction may run on another server session: named server-side statements would
            // meet sessions that lack them (or have them already), and a pooler refuses startup options.
            props.setProperty("prepareThreshold", "0");
            return props;
        }
        // The server bounds every write, so the client never abandons a statement that may still
        // commit; sent in the startup packet: no extra round trip.
        String timeouts = "-c statement_timeout=" + settings.writeTimeoutMs() + " -c lock_timeout="
                + settings.writeTimeoutMs();
        String options = props.getProperty("options");
        props.setProperty("options", options == null || options.isBlank() ? timeouts : options + " " + timeouts);
        return props;
    }

    private static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Runs when the reconnect thread has opened a connection (the async writer wakes up). */
    public void onConnected(Runnable listener) {
        this.onConnected = listener;
    }

    /** The first attempt, on the caller's thread, as the seed connects at start. */
    public void start() {
        connection = connect();
        if (connection == null) {
            want();
        }
    }

    /**
     * The live connection, or null while there is none; never waits. Takes over a connection the
     * reconnect thread opened.
     */
    public Connection connection() {
        if (connection == null) {
            connection = opened.getAndSet(null);
            if (connection == null) {
                want();
            }
        }
        return connection;
    }

    /**
     * After {@link #failed} found the connection broken: asks the reconnect thread for a new one
     * at once and waits for it at most {@value #RECONNECT_WAIT_MS} ms, so that a backend killed
     * once does not cost the next record, while a caller never waits for an attempt against a
     * server that is gone.
     *
     * @return the new connection, or null when none came in time
     */
    public Connection reconnectNow() {
        Connection c = connection();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECONNECT_WAIT_MS);
        try {
            while (c == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                synchronized (signal) {
                    if (opened.get() == null) {
                        TimeUnit.NANOSECONDS.timedWait(signal, left);
                    }
                }
                c = connection();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c;
    }

    /**
     * Decides what a failed write of one row means and acts on it: a broken connection (or one
     * whose outcome is unknown) is reported and closed and a new one is sought, a refusal is
     * reported, a rejected row remembered as the last error (the writer counts it as lost, which
     * reports it).
     */
    public Outcome failed(SQLException failure) {
        Outcome outcome = batchFailed(failure);
        if (outcome == Outcome.REJECTED) {
            reporter.rejected(failure);
        }
        return outcome;
    }

    /** As {@link #failed}, for a batch: a rejected batch is not an error yet, its rows are tried one by one. */
    public Outcome batchFailed(SQLException failure) {
        Outcome outcome = FailureClassifier.classify(failure, connection);
        switch (outcome) {
            case UNREACHABLE -> {
                reporter.connectionLost(failure);
                discard();
            }
            case UNKNOWN -> {
                reporter.outcomeUnknown(failure);
                discard();
            }
            case REFUSED -> {
                reporter.refused(failure);
                if (FailureClassifier.needsNewSession(failure)) {
                    discard();
                }
            }
            default -> {
            }
        }
        return outcome;
    }

    /** A write succeeded: ends a refusal episode on stderr. Cheap when there is none. */
    public void wrote() {
        reporter.accepted();
    }

    /** The failure in one masked line, for a loss's detail. */
    public String describe(SQLException failure) {
        return reporter.describe(failure);
    }

    /** Why there is no connection now, in words for a loss's detail. */
    public String whyUnavailable() {
        return lastFailureSetup ? "the log table cannot be used yet (see the line that says what to run)"
                : "the database is unreachable";
    }

    /** Whether a connection is open (or opened and waiting to be taken over); safe from any thread. */
    public boolean isConnected() {
        return connected;
    }

    private Connection connect() {
        synchronized (attempts) {
            Connection c = null;
            try {
                c = connector.connect(settings.target().jdbcUrl(), properties);
                setup.prepare(c);
                if (!settings.synchronousCommit() && !settings.transactionPooler()) {
                    try (Statement statement = c.createStatement()) {
                        statement.execute("SET synchronous_commit = off");
                    }
                }
                connected = true;
                backoff.succeeded();
                reporter.connected();
                return c;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                lastFailureServerAbsent = FailureClassifier.serverAbsent(e);
                lastFailureSetup = e instanceof SetupFailure;
                Exception cause = e;
                if (e instanceof SQLException sql && !settings.transactionPooler()
                        && String.valueOf(sql.getMessage()).contains("unsupported startup parameter")) {
                    // PgBouncer's answer to the session options: say what to configure.
                    cause = new SQLException(sql.getMessage() + " (a connection pooler? set"
                            + " stogger.postgres.PostgresHandler.pooler = transaction)", sql.getSQLState(), sql);
                }
                reporter.connectFailed(cause, backoff.failed(), e instanceof SetupFailure);
                return null;
            }
        }
    }

    /** Asks the reconnect thread for a connection, starting it the first time. */
    private void want() {
        if (closed || wanted) {
            return;
        }
        synchronized (signal) {
            wanted = true;
            if (reconnector == null) {
                reconnector = new Thread(this::reconnectLoop, threadName);
                reconnector.setDaemon(true);
                reconnector.start();
            }
            signal.notifyAll();
        }
    }

    private void reconnectLoop() {
        try {
            while (!closed) {
                synchronized (signal) {
                    while (!wanted && !closed) {
                        signal.wait();
                    }
                }
                if (closed) {
                    return;
                }
                waitUntilDueOrListening();
                Connection c = closed ? null : connect();
                if (c != null && closed) {
                    // close() ran while this attempt was under way.
                    closeQuietly(c);
                    return;
                }
                if (c != null) {
                    Connection stale = opened.getAndSet(c);
                    closeQuietly(stale);
                    wanted = false;
                    synchronized (signal) {
                        signal.notifyAll();
                    }
                    onConnected.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps until the backoff's attempt is due, or until an absent server listens again. */
    private void waitUntilDueOrListening() throws InterruptedException {
        while (!closed) {
            long due;
            synchronized (attempts) {
                due = backoff.nanosUntilDue();
            }
            if (due == 0) {
                return;
            }
            long nap = Math.min(due, TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MS));
            synchronized (signal) {
                TimeUnit.NANOSECONDS.timedWait(signal, nap);
            }
            if (lastFailureServerAbsent && !closed && reachability.listening()) {
                return;
            }
        }
    }

    /**
     * Closes a connection that failed, without reporting, and has the reconnect thread seek a new
     * one at once, so that the next write finds it (or {@link #reconnectNow()} waits for it).
     */
    private void discard() {
        connected = false;
        closeQuietly(connection);
        connection = null;
        want();
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        closeQuietly(connection);
        connection = null;
        closeQuietly(opened.getAndSet(null));
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
