package stogger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;
import stogger.core.LogScope;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;

/**
 * The synchronous path side by side with pgbench and Log4j2's JDBC appender, in rounds that
 * alternate the three, on the same server, the same row shape and the seed's table with its four
 * indexes. Prints each round and the medians with ratios.
 *
 * <p>System properties: {@code events} per round (default 20000), {@code warmup} events before
 * measuring (default 15000), {@code rounds} (default 3),
 * {@code pgbenchSeconds} (default 8). The server is {@code STOGGER_BENCH_DSN}.
 */
public final class SyncBenchmark {

    private static final String ROW_DATA = "{\"logger\":\"bench.orders\",\"thread\":\"main\",\"thread_id\":1,"
            + "\"order_id\":12345,\"amount\":9.99,\"customer\":\"c-42\"}";

    /** Events before measuring, so that the JIT has compiled the hot path of every writer. */
    static final int WARMUP = Integer.getInteger("warmup", 15_000);

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 20_000);
        int rounds = Integer.getInteger("rounds", 3);
        int pgbenchSeconds = Integer.getInteger("pgbenchSeconds", 8);
        System.out.printf(Locale.ROOT, "sync benchmark: %d events per round, %d rounds, server %s%n", events, rounds,
                BenchSupport.target());
        Map<String, List<BenchSupport.Result>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            record(results, stogger(events));
            record(results, log4j(events));
            record(results, pgbench(pgbenchSeconds));
        }
        System.out.println("-- medians over " + rounds + " rounds");
        double pgbench = medianRate(results.get("pgbench -M prepared (1 client)"));
        for (Map.Entry<String, List<BenchSupport.Result>> entry : results.entrySet()) {
            double rate = medianRate(entry.getValue());
            double p50 = BenchSupport.median(entry.getValue().stream().map(r -> r.latency().p50()).toList());
            double p99 = BenchSupport.median(entry.getValue().stream().map(r -> r.latency().p99()).toList());
            System.out.printf(Locale.ROOT, "%-34s %10.0f /s   p50 %8.1f us   p99 %8.1f us   %.2f x pgbench%n",
                    entry.getKey(), rate, p50, p99, rate / pgbench);
        }
    }

    private static void record(Map<String, List<BenchSupport.Result>> results, BenchSupport.Result result) {
        System.out.println(result.line());
        results.computeIfAbsent(result.name(), k -> new ArrayList<>()).add(result);
    }

    private static double medianRate(List<BenchSupport.Result> results) {
        return BenchSupport.median(results.stream().map(BenchSupport.Result::perSecond).toList());
    }

    static BenchSupport.Result stogger(int events) throws Exception {
        return stogger("stogger sync (JUL -> PostgresHandler)", events,
                PostgresSettings.builder().dsn(BenchSupport.DSN));
    }

    /** The handler with these settings (a DSN, perhaps a pooler) and the default mode, into a fresh table. */
    static BenchSupport.Result stogger(String name, int events, PostgresSettings.Builder settings) throws Exception {
        String table = "bench_sync_stogger";
        BenchSupport.freshTable(table);
        PostgresHandler handler = new PostgresHandler(settings.table(table).build());
        Logger logger = Logger.getLogger("bench.orders");
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        long[] nanos = new long[events];
        try (LogScope scope = LogScope.open("checkout")) {
            for (int i = 0; i < WARMUP; i++) {
                logger.log(Level.INFO, "order-processed", Fields.of("order_id", i, "amount", 9.99, "customer", "c-42"));
            }
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long t0 = System.nanoTime();
                logger.log(Level.INFO, "order-processed", Fields.of("order_id", i, "amount", 9.99, "customer", "c-42"));
                nanos[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            logger.removeHandler(handler);
            handler.close();
            if (handler.stats().written() != events + WARMUP || BenchSupport.count(table) != events + WARMUP) {
                throw new IllegalStateException("rows missing: " + handler.stats());
            }
            return new BenchSupport.Result(name, events / (elapsed / 1e9), BenchSupport.Latency.ofNanos(nanos));
        }
    }

    static BenchSupport.Result log4j(int events) throws Exception {
        return Log4jJdbc.run("log4j2 JDBC appender (bufferSize=0)", "bench_sync_log4j", WARMUP, events, 0);
    }

    static BenchSupport.Result pgbench(int seconds) throws Exception {
        String table = "bench_sync_pgbench";
        BenchSupport.freshTable(table);
        String script = "INSERT INTO " + table + " (timestamp, level, event, func, scope, data) VALUES (now(), 'info',"
                + " 'order-processed', 'stogger.bench.SyncBenchmark.stogger', 'checkout', '" + ROW_DATA + "');\n";
        return BenchSupport.pgbench("pgbench -M prepared (1 client)", script, seconds);
    }
}
