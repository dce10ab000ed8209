package stogger.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log4j2's JDBC appender as its users set it up (log4j2-bench.xml): a HikariCP pool as its
 * ConnectionFactory, the same columns and row shape as stogger writes.
 */
public final class Log4jJdbc {

    private static HikariDataSource pool;

    private Log4jJdbc() {
    }

    /**
     * Runs the appender as an application does, in its own JVM: system properties {@code table},
     * {@code warmup}, {@code events}, {@code bufferSize}; prints the {@code RESULT} line that
     * {@link ChildJvm} reads.
     */
    public static void main(String[] args) throws Exception {
        BenchSupport.Result result = run("log4j2", System.getProperty("table"), Integer.getInteger("warmup"),
                Integer.getInteger("events"), Integer.getInteger("bufferSize"));
        System.out.printf(java.util.Locale.ROOT, "RESULT %.1f %.1f %.1f%n", result.perSecond(),
                result.latency().p50(), result.latency().p99());
    }

    /**
     * A connection from the pool: the appender's ConnectionFactory method.
     *
     * @return a pooled connection
     * @throws SQLException when the pool cannot provide one
     */
    public static Connection get() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Logs {@code warmup} then {@code events} records through the appender into a fresh table and
     * measures the second part, including the final flush of the appender's buffer.
     */
    static BenchSupport.Result run(String name, String table, int warmup, int events, int bufferSize)
            throws Exception {
        BenchSupport.freshTable(table);
        System.setProperty("bench.log4j.table", table);
        System.setProperty("bench.log4j.bufferSize", Integer.toString(bufferSize));
        HikariConfig config = new HikariConfig();
        String jdbcUrl = BenchSupport.target().jdbcUrl();
        // stringtype=unspecified lets the appender's text reach the jsonb column.
        config.setJdbcUrl(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "stringtype=unspecified");
        config.setUsername(BenchSupport.target().properties().getProperty("user"));
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        LoggerContext context = Configurator.initialize("bench-" + table, "log4j2-bench.xml");
        try {
            org.apache.logging.log4j.Logger logger = context.getLogger("bench.orders");
            ThreadContext.put("scope", "checkout");
            ThreadContext.put("amount", "9.99");
            ThreadContext.put("customer", "c-42");
            for (int i = 0; i < warmup; i++) {
                ThreadContext.put("order_id", Integer.toString(i));
                logger.info("order-processed");
            }
            long[] nanos = new long[events];
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long t0 = System.nanoTime();
                ThreadContext.put("order_id", Integer.toString(i));
                logger.info("order-processed");
                nanos[i] = System.nanoTime() - t0;
            }
            Configurator.shutdown(context);
            double rate = events / ((System.nanoTime() - start) / 1e9);
            long rows = BenchSupport.count(table);
            if (rows != (long) warmup + events) {
                throw new IllegalStateException("log4j2 wrote " + rows + " rows of " + (warmup + events));
            }
            return new BenchSupport.Result(name, rate, BenchSupport.Latency.ofNanos(nanos));
        } finally {
            ThreadContext.clearAll();
            pool.close();
            LogManager.shutdown();
        }
    }
}
