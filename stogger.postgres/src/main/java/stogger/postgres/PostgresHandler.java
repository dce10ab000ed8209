package stogger.postgres;

import java.time.Instant;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import stogger.core.CallerInference;
import stogger.core.PostgresRenderer;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.connection.Backoff;
import stogger.postgres.internal.connection.ConnectionKeeper;
import stogger.postgres.internal.connection.ConnectionSettings;
import stogger.postgres.internal.connection.Connector;
import stogger.postgres.internal.loss.HandlerMBean;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;
import stogger.postgres.internal.loss.FailureReporter;
import stogger.postgres.internal.loss.StderrErrorManager;
import stogger.postgres.internal.spool.DiskSpool;
import stogger.postgres.internal.spool.RowSpool;
import stogger.postgres.internal.spool.SpoolSettings;
import stogger.postgres.internal.spool.SpoolStats;
import stogger.postgres.internal.write.AsyncWriter;
import stogger.postgres.internal.write.ColumnLimits;
import stogger.postgres.internal.write.DroppingSink;
import stogger.postgres.internal.write.RowSink;
import stogger.postgres.internal.write.Schema;
import stogger.postgres.internal.write.SyncWriter;

/**
 * A java.util.logging {@link Handler} that writes every record as one row of a PostgreSQL
 * table, mapped by {@link PostgresRenderer}.
 *
 * <p><b>Configuration.</b> The no-argument constructor reads these keys from the logging
 * configuration ({@code logging.properties}; a system property of the same name wins); the
 * builder of {@link PostgresSettings} takes the same settings with the same limits:
 * <table>
 * <caption>Configuration keys (prefix {@code stogger.postgres.PostgresHandler.})</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code dsn}</td><td>{@code stogger.postgres_dsn}</td><td>where to connect; required (DSN forms in the class documentation and the README)</td></tr>
 * <tr><td>{@code table}</td><td>{@code stogger.postgres_table}, else {@code stogger_logs}</td><td>table name, {@code name} or {@code schema.name} (letters, digits, {@code _}; quoted as given)</td></tr>
 * <tr><td>{@code createTable}</td><td>{@code true}</td><td>{@code true}: create the table and its indexes when missing (only what is missing); {@code false}: never any DDL</td></tr>
 * <tr><td>{@code pooler}</td><td>{@code none}</td><td>{@code transaction}: the DSN points at a transaction pooler (PgBouncer {@code pool_mode = transaction}): no named prepared statements, no session settings (see Connection poolers)</td></tr>
 * <tr><td>{@code level}</td><td>{@code ALL}</td><td>the handler's level</td></tr>
 * <tr><td>{@code filter}</td><td>none</td><td>a {@code java.util.logging.Filter} class with a public no-arg constructor</td></tr>
 * <tr><td>{@code connectTimeoutMs}</td><td>{@code 5000}</td><td>longest wait for a connection (a caller waits at most this, once per backoff step)</td></tr>
 * <tr><td>{@code writeTimeoutMs}</td><td>{@code 5000}</td><td>longest a write may take on the server ({@code statement_timeout} and {@code lock_timeout} of the handler's session): the server aborts it, so it is known not to be committed and is retried</td></tr>
 * <tr><td>{@code socketTimeoutMs}</td><td>{@code 10000}</td><td>longest wait for one network read or write, the last resort above {@code writeTimeoutMs}; {@code 0} waits forever</td></tr>
 * <tr><td>{@code synchronousCommit}</td><td>{@code on}</td><td>{@code off} sets {@code synchronous_commit = off} for the handler's session only (see below)</td></tr>
 * <tr><td>{@code retryInitialMs}</td><td>{@code 1000}</td><td>first reconnect delay</td></tr>
 * <tr><td>{@code retryMaxMs}</td><td>{@code 60000}</td><td>longest reconnect delay (the delay doubles up to it; at least {@code retryInitialMs})</td></tr>
 * <tr><td>{@code maxStringLength}</td><td>{@code 65536}</td><td>longest string stored whole, in chars (at least 64)</td></tr>
 * <tr><td>{@code mode}</td><td>{@code sync}</td><td>{@code sync}: each record committed before {@code publish} returns (records of threads that log at once share one INSERT); {@code async}: queue and batches (see Asynchronous mode)</td></tr>
 * <tr><td>{@code queueCapacity}</td><td>{@code 16384}</td><td>async: records the queue holds</td></tr>
 * <tr><td>{@code batchSize}</td><td>{@code 1000}</td><td>async: most rows per batch</td></tr>
 * <tr><td>{@code flushIntervalMs}</td><td>{@code 100}</td><td>async: longest wait for a batch to fill before it is written</td></tr>
 * <tr><td>{@code overflow}</td><td>{@code block}</td><td>async: a caller that finds the queue full waits up to {@code blockTimeoutMs} while the database is connected, then its record is dropped and counted ({@code block}), or is dropped at once ({@code drop}); while the database is unreachable a full queue always drops at once</td></tr>
 * <tr><td>{@code blockTimeoutMs}</td><td>{@code 5000}</td><td>async, {@code overflow = block}: longest wait of a caller for room in the queue</td></tr>
 * <tr><td>{@code flushTimeoutMs}</td><td>{@code 10000}</td><td>async: longest wait of {@code flush()}</td></tr>
 * <tr><td>{@code closeTimeoutMs}</td><td>{@code 10000}</td><td>async: longest wait of {@code close()} for the queue to drain</td></tr>
 * <tr><td>{@code spoolDirectory}</td><td>none</td><td>a directory for the durable spool (see Durable spool), created if missing, owned by one process at a time; not set: no spool</td></tr>
 * <tr><td>{@code spoolMode}</td><td>{@code outage}</td><td>{@code outage}: rows the database cannot take now go to the spool; {@code always}: every row goes through the spool first (a write-ahead log)</td></tr>
 * <tr><td>{@code spoolMaxBytes}</td><td>{@code 268435456}</td><td>the spool's largest size on disk (256 MiB); when full, new rows are dropped and counted ({@code spool-full})</td></tr>
 * <tr><td>{@code spoolSync}</td><td>{@code interval}</td><td>when spooled rows are forced to disk: {@code interval}: every {@code spoolSyncIntervalMs}; {@code batch}: before each append returns (a record in sync mode and {@code always}, a batch moved by the async writer)</td></tr>
 * <tr><td>{@code spoolSyncIntervalMs}</td><td>{@code 1000}</td><td>{@code spoolSync = interval}: the longest a spooled row waits to be forced to disk</td></tr>
 * </table>
 * DSN forms: {@code postgresql://user:%PASSWORD%@host:5432/db}, {@code postgres://...}, the
 * Unix-socket form {@code postgresql://user:@/db?host=/var/run/postgresql}, libpq
 * {@code host=localhost dbname=logs user=app}, or a {@code jdbc:postgresql:} URL. The placeholder
 * {@code %PASSWORD%} is replaced with the environment variable {@code STOGGER_POSTGRES_PASSWORD}.
 * {@code synchronousCommit = off} makes commits return before the WAL is flushed: about three
 * times faster, and a crash of the database server (not of the application) can lose the last
 * few hundred milliseconds of log rows.
 * Example:
 * <pre>
 * handlers = java.util.logging.ConsoleHandler, stogger.postgres.PostgresHandler
 * stogger.postgres.PostgresHandler.dsn = postgresql://app:%PASSWORD%@db.internal/app
 * stogger.postgres.PostgresHandler.table = logs.app_events
 * stogger.postgres.PostgresHandler.level = INFO
 * </pre>
 * A bad optional value is reported on stderr with its key, the value and the default used; a
 * key under the prefix that is not in the table is reported with the nearest known key; a
 * missing or invalid DSN or an invalid table name is reported and the handler drops (and counts)
 * every record.
 *
 * <p><b>Behaviour.</b> At construction the handler connects and creates the table and its
 * indexes if needed. Each published record is rendered on the caller's thread, outside any lock;
 * in async mode only what the caller's thread alone has (caller, thread name, scopes) is taken
 * there, and the {@code data} JSON of a record whose values are all immutable is built by the
 * writer thread. In sync mode it is then committed before {@code publish} returns, the records of
 * threads that log at the same moment together in one statement (group commit); in async mode it is
 * queued, and a writer thread writes batches in order (COPY, or INSERT ... unnest when the
 * driver's API is not readable), retrying a batch rejected for one row row by row. Nothing here throws into the
 * application. When the database is unreachable the record is dropped and counted, and the
 * handler retries with exponential backoff: a caller waits at most one connect timeout, and only
 * when a retry is due. A broken connection is replaced at once, a failed statement does not
 * affect the next one. Problems go to stderr through the handler's {@link ErrorManager}, one line
 * per change of state and rate-limited, with any password masked. {@link #stats()} counts
 * written, dropped and failed records. Records produced by the handler's own work (the driver's
 * and the JSON provider's logging) are never written, and records of the driver's loggers
 * ({@code org.postgresql}) are ignored altogether.
 *
 * <p><b>Threading.</b> {@code publish}, {@code flush} and {@code close} may be called from any
 * thread; writes are serialised on one connection. {@code close} is idempotent and releases the
 * connection; records published after it are dropped and counted.
 */
public class PostgresHandler extends Handler {

    private static final String DRIVER_LOGGERS = "org.postgresql";

    private final PostgresRenderer renderer;
    // In async mode the writer thread builds the JSON, so the caller pays only for what it must capture.
    private final boolean dataOnWriterThread;
    private final LossLedger ledger = new LossLedger(this::reportError, System::nanoTime, Instant::now);
    private final ThreadLocal<Boolean> working = new ThreadLocal<>();
    private final RowSink writer;
    private final HandlerMBean mbean;
    private volatile RowSpool spool = RowSpool.OFF;
    private volatile boolean closed;
    private volatile String lastSchemaWarning;

    /**
     * Creates a handler configured by the logging configuration, as LogManager does for a
     * {@code handlers} entry. Never throws; problems are reported on stderr.
     */
    public PostgresHandler() {
        this(PostgresSettings.fromLogManager(), Connector.driverManager());
    }

    /**
     * Creates a handler with the given settings. Never throws; connection problems are reported
     * on stderr and retried.
     *
     * @param settings the settings, from {@link PostgresSettings#builder()}
     * @throws IllegalArgumentException when settings is null
     */
    public PostgresHandler(PostgresSettings settings) {
        this(requireSettings(settings), Connector.driverManager());
    }

    PostgresHandler(PostgresSettings settings, Connector connector) {
        setErrorManager(new StderrErrorManager());
        setLevel(settings.level());
        setFilter(settings.filter());
        for (String problem : settings.problems()) {
            reportError(problem, null, ErrorManager.GENERIC_FAILURE);
        }
        renderer = new PostgresRenderer(settings.maxStringLength());
        dataOnWriterThread = settings.async();
        if (settings.transactionPooler()) {
            reportError(poolerAdvice(settings), null, ErrorManager.GENERIC_FAILURE);
        }
        FailureReporter reporter = settings.unusableReason() != null ? null : new FailureReporter(this::reportError,
                settings.target(), ledger::lost, SyncWriter::whileUnreachable, System::nanoTime);
        writer = reporter == null ? new DroppingSink(ledger, settings.unusableReason())
                : createWriter(settings, connector, reporter);
        mbean = new HandlerMBean(ledger, writer::queued, this::isConnected,
                reporter == null ? settings::unusableReason : reporter::lastError, () -> spool.stats());
        asOwnWork(() -> mbean.register(settings.table()), "registering the MBean", ErrorManager.OPEN_FAILURE);
        asOwnWork(writer::start, "start", ErrorManager.OPEN_FAILURE);
    }

    /** What a transaction pooler keeps from the server, and what to set on the role instead. */
    private static String poolerAdvice(PostgresSettings settings) {
        String user = settings.target() == null ? "<role>" : settings.target().properties().getProperty("user",
                "<role>");
        String timeout = settings.writeTimeoutMs() + "ms'";
        return "pooler = transaction: the session settings statement_timeout and lock_timeout (writeTimeoutMs)"
                + (settings.synchronousCommit() ? "" : " and synchronous_commit (synchronousCommit = off)")
                + " cannot pass a transaction pooler; set them on the role instead: ALTER ROLE " + user
                + " SET statement_timeout = '" + timeout + "; ALTER ROLE " + user + " SET lock_timeout = '" + timeout
                + (settings.synchronousCommit() ? "" : "; ALTER ROLE " + user + " SET synchronous_commit = off");
    }

    private static PostgresSettings requireSettings(PostgresSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        return settings;
    }

    private RowSink createWriter(PostgresSettings settings, Connector connector, FailureReporter reporter) {
        ConnectionTarget target = settings.target();
        Schema schema = new Schema(settings.tableName(), settings.createTable(), settings.writeTimeoutMs());
        RowSpool rowSpool = openSpool(settings, schema);
        spool = rowSpool;
        ConnectionKeeper keeper = new ConnectionKeeper(new ConnectionSettings(target, settings.connectTimeoutMs(),
                settings.socketTimeoutMs(), settings.synchronousCommit(), settings.writeTimeoutMs(),
                settings.transactionPooler()), connector, connection -> {
                    ensureSchema(schema, connection);
                    rowSpool.prepare(connection);
                }, reporter,
                new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), System::nanoTime),
                "stogger-postgres-connect[" + settings.tableName() + "]");
        if (!settings.async()) {
            if (rowSpool.enabled()) {
                reporter.whileUnreachable(rowSpool::whileUnreachable);
            }
            return new SyncWriter(keeper, schema, ledger, settings.writeTimeoutMs(), rowSpool);
        }
        AsyncWriter.Limits limits = new AsyncWriter.Limits(settings.queueCapacity(), settings.batchSize(),
                settings.flushIntervalMs(), settings.blockOnOverflow(), settings.blockTimeoutMs(),
                settings.flushTimeoutMs(), settings.closeTimeoutMs());
        // The writer thread's own logging (the driver's) must never come back into this handler.
        return new AsyncWriter(keeper, schema, ledger, reporter, limits, () -> working.set(Boolean.TRUE), rowSpool);
    }

    /** The durable spool when {@code spoolDirectory} is set; a directory that cannot be used is reported, never fatal. */
    private RowSpool openSpool(PostgresSettings settings, Schema schema) {
        if (settings.spoolDirectory() == null) {
            return RowSpool.OFF;
        }
        return DiskSpool.open(new SpoolSettings(settings.spoolDirectory(), settings.spoolAlways(),
                settings.spoolMaxBytes(), settings.spoolSyncEveryAppend(), settings.spoolSyncIntervalMs(),
                settings.batchSize(), settings.createTable(), settings.writeTimeoutMs()), settings.tableName(), schema,
                ledger, this::reportError);
    }

    /** The schema on a new connection; a missing index is told once, since logging goes on without it. */
    private void ensureSchema(Schema schema, java.sql.Connection connection) throws java.sql.SQLException {
        schema.ensure(connection);
        String warning = schema.lastWarning();
        if (warning != null && !warning.equals(lastSchemaWarning)) {
            reportError(warning, null, ErrorManager.OPEN_FAILURE);
        }
        lastSchemaWarning = warning;
    }

    /**
     * Renders the record and inserts it, or counts it as dropped or failed. Never throws.
     *
     * @param record the record; null is ignored
     */
    @Override
    public void publish(LogRecord record) {
        if (record == null || working.get() != null || !accepts(record)) {
            return;
        }
        if (closed) {
            ledger.lost(LossReason.CLOSED, record.getInstant(), "published after close");
            return;
        }
        // Before anything else: the caller is found fastest from the shallowest frame.
        CallerInference.inferSource(record);
        working.set(Boolean.TRUE);
        try {
            writer.accept(ColumnLimits.fit(dataOnWriterThread ? renderer.renderForAnotherThread(record)
                    : renderer.render(record)));
        } catch (RuntimeException | LinkageError e) {
            ledger.lost(LossReason.STATEMENT_FAILED, record.getInstant(), "could not be rendered or handed on: " + e);
            reportError("could not write a record: " + e, e instanceof Exception ex ? ex : null,
                    ErrorManager.WRITE_FAILURE);
        } finally {
            working.remove();
        }
    }

    private boolean accepts(LogRecord record) {
        String logger = record.getLoggerName();
        if (logger != null && logger.startsWith(DRIVER_LOGGERS)) {
            return false;
        }
        try {
            return isLoggable(record);
        } catch (RuntimeException e) {
            reportError("the filter failed: " + e, e, ErrorManager.GENERIC_FAILURE);
            return false;
        }
    }

    /**
     * In async mode, waits until every record published before the call is written (or counted
     * as failed), at most {@code flushTimeoutMs}; a timeout is reported. In sync mode every
     * published record is already committed, so this returns at once.
     */
    @Override
    public void flush() {
        if (!closed) {
            asOwnWork(writer::flush, "flush", ErrorManager.FLUSH_FAILURE);
        }
    }

    /**
     * Releases the connection; in async mode first writes what is queued, within
     * {@code closeTimeoutMs}, and reports how many records it could not write. Idempotent; later
     * records are dropped and counted.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        asOwnWork(writer::close, "close", ErrorManager.CLOSE_FAILURE);
        spool.close();
        mbean.unregister();
        String summary = ledger.summary();
        if (summary != null) {
            reportError(summary, null, ErrorManager.CLOSE_FAILURE);
        }
    }

    /** The handler's own work, which may fail. */
    @FunctionalInterface
    private interface OwnWork {
        void run() throws Exception;
    }

    /**
     * Runs the handler's own work with this thread marked, so that what the driver logs meanwhile
     * is not published back into this handler; a failure is reported, never thrown.
     */
    private void asOwnWork(OwnWork work, String what, int errorCode) {
        working.set(Boolean.TRUE);
        try {
            work.run();
        } catch (Exception | LinkageError e) {
            reportError(what + " failed: " + e, e instanceof Exception ex ? ex : null, errorCode);
        } finally {
            working.remove();
        }
    }

    /**
     * Counts of what happened to the records this handler accepted.
     *
     * @return written, dropped, failed and queued counts
     */
    public HandlerStats stats() {
        SpoolStats spooled = spool.stats();
        return new HandlerStats(ledger.written(), ledger.dropped(), ledger.failed(), writer.queued(),
                spooled.spooled(), spooled.bytes(), spooled.oldestAgeMillis(), spooled.replayed());
    }

    /**
     * Whether the handler holds an open connection now.
     *
     * @return false while the database is unreachable, unconfigured or after close
     */
    public boolean isConnected() {
        return !closed && writer.isConnected();
    }
}
