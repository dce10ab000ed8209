package stogger.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import stogger.core.Fields;
import stogger.core.LogScope;
import stogger.core.PostgresRenderer;
import stogger.core.PostgresRow;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;

/**
 * Where one synchronous record's time goes, stage by stage, each stage measured on its own
 * (average time per call): JUL's dispatch, JUL's caller inference, rendering, the JSON text,
 * the driver and the server for the INSERT without waiting for the commit's WAL flush, the
 * same INSERT committed as the handler commits it, one bare round trip, and the whole path
 * through a {@link PostgresHandler} for comparison with the sum.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SyncPathBenchmark {

    private static final String TABLE = "bench_sync_path";

    private final PostgresRenderer renderer = new PostgresRenderer();
    private Logger dispatchOnly;
    private Logger inferring;
    private Logger handled;
    private PostgresHandler handler;
    private LogScope scope;
    private Connection committed;
    private Connection notWaiting;
    private PreparedStatement insert;
    private PreparedStatement insertNotWaiting;
    private PreparedStatement roundTrip;
    private PostgresRow row;
    private String[] values;
    private int orderId;

    @Setup
    public void start() throws Exception {
        BenchSupport.freshTable(TABLE);
        dispatchOnly = logger("bench.path.dispatch", new Sink(false));
        inferring = logger("bench.path.infer", new Sink(true));
        handler = new PostgresHandler(PostgresSettings.builder().dsn(BenchSupport.DSN).table(TABLE).build());
        handled = logger("bench.path.handler", handler);
        scope = LogScope.open("checkout");
        row = renderer.render(record());
        values = new String[] {row.timestamp().toString(), row.level(), row.event(), row.func(), row.scope(),
                row.data().toString()};
        String sql = "INSERT INTO " + TABLE + " (timestamp, level, event, func, scope, data) VALUES"
                + " (?::timestamptz, ?, ?, ?, ?, ?::jsonb)";
        committed = BenchSupport.connect();
        notWaiting = BenchSupport.connect();
        try (Statement s = notWaiting.createStatement()) {
            s.execute("SET synchronous_commit = off");
        }
        insert = committed.prepareStatement(sql);
        insertNotWaiting = notWaiting.prepareStatement(sql);
        roundTrip = committed.prepareStatement("SELECT 1");
    }

    private static Logger logger(String name, Handler handler) {
        Logger logger = Logger.getLogger(name);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        return logger;
    }

    private LogRecord record() {
        LogRecord record = new LogRecord(Level.INFO, "order-processed");
        record.setLoggerName("bench.orders");
        record.setParameters(new Object[] {Fields.of("order_id", orderId++, "amount", 9.99, "customer", "c-42")});
        record.setSourceClassName("stogger.bench.SyncPathBenchmark");
        record.setSourceMethodName("render");
        return record;
    }

    @Benchmark
    public void julDispatch() {
        dispatchOnly.log(Level.INFO, "order-processed", Fields.of("order_id", orderId++, "amount", 9.99, "customer",
                "c-42"));
    }

    @Benchmark
    public void julDispatchAndCallerInference() {
        inferring.log(Level.INFO, "order-processed", Fields.of("order_id", orderId++, "amount", 9.99, "customer",
                "c-42"));
    }

    @Benchmark
    public PostgresRow render() {
        return renderer.render(record());
    }

    @Benchmark
    public String renderAndJsonText() {
        return renderer.render(record()).data().toString();
    }

    @Benchmark
    public boolean bareRoundTrip() throws SQLException {
        try (ResultSet rs = roundTrip.executeQuery()) {
            return rs.next();
        }
    }

    @Benchmark
    public int insertWithoutWaitingForCommit() throws SQLException {
        return bindAndExecute(insertNotWaiting);
    }

    @Benchmark
    public int insertCommitted() throws SQLException {
        return bindAndExecute(insert);
    }

    private int bindAndExecute(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
        return statement.executeUpdate();
    }

    @Benchmark
    public void wholeSyncPath() {
        handled.log(Level.INFO, "order-processed", Fields.of("order_id", orderId++, "amount", 9.99, "customer",
                "c-42"));
    }

    @TearDown
    public void stop() throws SQLException {
        scope.close();
        handled.removeHandler(handler);
        handler.close();
        committed.close();
        notWaiting.close();
        if (handler.stats().lost() != 0) {
            throw new IllegalStateException("records were lost, the figures would be wrong: " + handler.stats());
        }
    }

    /** A handler that does what JUL makes every handler do, and optionally asks for the caller. */
    private static final class Sink extends Handler {
        private final boolean inferCaller;
        private volatile Object last;

        Sink(boolean inferCaller) {
            this.inferCaller = inferCaller;
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                last = inferCaller ? record.getSourceClassName() : record;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
