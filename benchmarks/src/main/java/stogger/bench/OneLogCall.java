package stogger.bench;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.TearDown;
import stogger.core.Fields;
import stogger.postgres.HandlerStats;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;

/**
 * The one {@code Logger.log} call, with three structured fields, that the caller benchmarks
 * ({@link CallerCostBenchmark}, {@link CallerPathBenchmark}) time, and what they share around it:
 * a logger with only the handler under test, drained after each iteration, and a trial that fails
 * when a record was lost (the figures would then be those of dropping).
 */
public abstract class OneLogCall {

    private Logger logger;
    private Handler handler;
    private int orderId;

    /**
     * A handler against the benchmark server in this mode, with a queue large enough that nothing
     * is dropped and time limits long enough that nothing times out, writing to a fresh table.
     */
    static PostgresHandler postgresHandler(String table, String mode) throws Exception {
        BenchSupport.freshTable(table);
        return new PostgresHandler(PostgresSettings.builder().dsn(BenchSupport.DSN).table(table).mode(mode)
                .queueCapacity(4_000_000).flushTimeoutMs(600_000).closeTimeoutMs(600_000).build());
    }

    /** Logs through a logger of this name with this handler alone; called by the trial's setup. */
    void attach(String loggerName, Handler handler) {
        this.handler = handler;
        logger = Logger.getLogger(loggerName);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
    }

    @Benchmark
    public void log() {
        logger.log(Level.INFO, "order-processed", Fields.of("order_id", orderId++, "amount", 9.99, "customer", "c-42"));
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void drain() {
        handler.flush();
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void stop() {
        logger.removeHandler(handler);
        handler.close();
        if (handler instanceof PostgresHandler postgres) {
            HandlerStats stats = postgres.stats();
            System.out.println("handler (" + logger.getName() + "): " + stats);
            if (stats.lost() != 0) {
                throw new IllegalStateException("records were lost, the figures would be wrong: " + stats);
            }
        }
    }
}
