package stogger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The synchronous path as an application gets it, side by side with {@code pgbench -M prepared},
 * Log4j2's JDBC appender and a plain JDBC application ({@link JdbcApp}: the JVM and pgjdbc without
 * stogger), in rounds that alternate them on the same server and the seed's
 * table with its four indexes. stogger runs in a child JVM per run ({@link JulApp}: the handler
 * from {@code logging.properties} on the root logger), once with three structured fields and
 * once with a message pattern and two parameters; Log4j2 runs in a child JVM too. pgbench runs
 * without its per-transaction log, as its users time it, once with a constant row (the value
 * is parsed once, when the statement is prepared) and once with a row whose {@code order_id}
 * changes per transaction (its {@code jsonb} is parsed for every row, as a log row's is); its
 * latencies come from separate runs with {@code -l} after the timed rounds. Every writer runs
 * the same number of untimed warm-up rows into its fresh table before its timed rows, so that all
 * time their rows into a table of the same size. Then the same with
 * {@code threads} logging threads beside pgbench with as many clients, both with four times the
 * warm-up (the JIT needs it for group commit, which calls its code once per group, not per row),
 * and beside them the ceiling of group commit: pgbench committing {@code threads} rows in one
 * multi-row INSERT per transaction from one client, and half as many from each of two clients
 * (what one connection, and two, could give those threads with no client cost). Each round starts one
 * writer later than the round before, so that no writer always goes first, and every run starts
 * after a {@code CHECKPOINT}, so that none pays for the dirty pages and WAL of the run before it.
 * Prints every run, then the medians and the ratios.
 *
 * <p>System properties: {@code events} per run (default 20000), {@code warmup} events before
 * timing (default 60000), {@code rounds} (default 5),
 * {@code threads} (default 8; 0 skips the concurrent part), {@code writers} ({@code all}, the
 * default, or {@code fields}: of the one-thread writers only stogger with {@code Fields}, per-row
 * pgbench and plain JDBC, for more rounds in the same time), {@code otherJdk} (a JDK's home: stogger
 * with {@code Fields} and plain JDBC run on it too, in the same rounds, to show what the JDK's own
 * cost per record, such as its stack walk, does to the ratio). The server is
 * {@code STOGGER_BENCH_DSN}. The last lines give each writer's ratio to per-row pgbench round by
 * round and the median of those ratios, which a drift of the server's speed between rounds moves
 * less than the ratio of the medians.
 */
public final class SyncBenchmark {

    private static final String PGBENCH_CONSTANT = "pgbench -M prepared, constant row";
    private static final String PGBENCH_PER_ROW = "pgbench -M prepared, order_id per row";
    private static final String STOGGER_ONE_THREAD = "stogger sync, 1 thread, Fields";
    private static final String PLAIN_JDBC = "plain JDBC, prepared INSERT";

    /**
     * Events before timing, so that the JIT has compiled every writer's hot path. With 15,000 the
     * JIT compiler threads still used 0.5 to 30 us of CPU per row during timed runs, on the two
     * cores the server needs too.
     */
    static final int WARMUP = Integer.getInteger("warmup", 60_000);

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 20_000);
        int warmup = WARMUP;
        int rounds = Integer.getInteger("rounds", 5);
        int threads = Integer.getInteger("threads", 8);
        System.out.printf(Locale.ROOT, "sync benchmark: %d events per run after %d warm-up, %d rounds, server %s%n",
                events, warmup, rounds, BenchSupport.target());
        boolean allWriters = switch (System.getProperty("writers", "all")) {
            case "all" -> true;
            case "fields" -> false;
            default -> throw new IllegalArgumentException("writers=" + System.getProperty("writers")
                    + ": expected all or fields");
        };
        String otherJdkHome = System.getProperty("otherJdk");
        Map<String, List<BenchSupport.Result>> results = new LinkedHashMap<>();
        List<Run> writers = new ArrayList<>();
        writers.add(() -> stogger(STOGGER_ONE_THREAD, events, warmup, 1, "fields"));
        if (allWriters) {
            writers.add(() -> stogger("stogger sync, 1 thread, pattern", events, warmup, 1, "pattern"));
            writers.add(() -> pgbench(PGBENCH_CONSTANT, 1, events, warmup, false, false));
        }
        writers.add(() -> pgbench(PGBENCH_PER_ROW, 1, events, warmup, true, false));
        if (allWriters) {
            writers.add(() -> log4j(events, warmup));
        }
        writers.add(() -> jdbc(PLAIN_JDBC, ChildJvm.OWN_JDK, events, warmup));
        if (otherJdkHome != null) {
            Path otherJdk = Path.of(otherJdkHome);
            if (!Files.isExecutable(otherJdk.resolve("bin").resolve("java"))) {
                throw new IllegalArgumentException("otherJdk=" + otherJdkHome + ": no bin/java there");
            }
            String suffix = ", " + otherJdk.getFileName();
            writers.add(() -> stogger(STOGGER_ONE_THREAD + suffix, otherJdk, events, warmup, 1, "fields",
                    BenchSupport.DIRECT));
            writers.add(() -> jdbc(PLAIN_JDBC + suffix, otherJdk, events, warmup));
        }
        // Group commit writes a group of rows per statement, so a warm-up of as many records calls its
        // code paths a few thousand times only, below what the JIT needs; its compiler then still
        // worked through the timed run (about 20 us of CPU per row). Both writers warm up with more.
        int groupWarmup = warmup * 4;
        if (threads > 0) {
            writers.add(() -> stogger("stogger sync, " + threads + " threads, Fields", events * 2, groupWarmup, threads,
                    "fields"));
            writers.add(() -> pgbench(PGBENCH_PER_ROW + ", " + threads + " clients", threads, events * 2, groupWarmup,
                    true, false));
            // The ceiling of group commit: what the server gives one connection that commits every
            // record of the threads in one transaction, and two connections that commit half each.
            writers.add(() -> pgbenchGroups(1, threads, events * 2, groupWarmup));
            if (threads % 2 == 0) {
                writers.add(() -> pgbenchGroups(2, threads / 2, events * 2, groupWarmup));
            }
        }
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            for (Run run : BenchSupport.rotated(writers, round - 1)) {
                BenchSupport.checkpoint();
                record(results, run.run());
            }
        }
        System.out.println("-- pgbench latencies (separate runs with -l, not timed)");
        List<BenchSupport.Result> latencies = new ArrayList<>();
        latencies.add(pgbench(PGBENCH_PER_ROW, 1, events, warmup, true, true));
        if (threads > 0) {
            latencies.add(pgbench(PGBENCH_PER_ROW + ", " + threads + " clients", threads, events * 2, groupWarmup,
                    true, true));
        }
        latencies.forEach(result -> System.out.println(result.line()));

        System.out.println("-- medians over " + rounds + " rounds");
        double constant = allWriters ? medianRate(results.get(PGBENCH_CONSTANT)) : Double.NaN;
        double perRow = medianRate(results.get(PGBENCH_PER_ROW));
        double oneThread = medianRate(results.get(STOGGER_ONE_THREAD));
        for (Map.Entry<String, List<BenchSupport.Result>> entry : results.entrySet()) {
            List<BenchSupport.Result> runs = entry.getValue();
            double rate = medianRate(runs);
            double p50 = runs.get(0).latency() == null ? Double.NaN
                    : BenchSupport.median(runs.stream().map(r -> r.latency().p50()).toList());
            double p99 = runs.get(0).latency() == null ? Double.NaN
                    : BenchSupport.median(runs.stream().map(r -> r.latency().p99()).toList());
            System.out.printf(Locale.ROOT, "%-48s %8.0f /s  p50 %7.1f us  p99 %7.1f us  %.2f x per-row pgbench  %.2f"
                    + " x constant pgbench  %.2f x stogger 1 thread%n", entry.getKey(), rate, p50, p99, rate / perRow,
                    rate / constant, rate / oneThread);
        }
        System.out.println("-- per-round ratios to per-row pgbench of the same round, and their median");
        List<BenchSupport.Result> reference = results.get(PGBENCH_PER_ROW);
        for (Map.Entry<String, List<BenchSupport.Result>> entry : results.entrySet()) {
            printRatios(entry.getKey(), entry.getValue(), reference);
        }
        System.out.println("-- per-round ratios of stogger to plain JDBC on the same JDK");
        for (Map.Entry<String, List<BenchSupport.Result>> entry : results.entrySet()) {
            if (entry.getKey().startsWith(STOGGER_ONE_THREAD)) {
                String jdk = entry.getKey().substring(STOGGER_ONE_THREAD.length());
                printRatios(entry.getKey() + " / plain JDBC", entry.getValue(), results.get(PLAIN_JDBC + jdk));
            }
        }
        if (threads > 0) {
            System.out.println("-- per-round ratios of the groups to one row per transaction of the same round");
            List<BenchSupport.Result> stoggerOne = results.get(STOGGER_ONE_THREAD);
            printRatios("stogger " + threads + " threads / stogger 1 thread",
                    results.get("stogger sync, " + threads + " threads, Fields"), stoggerOne);
            for (Map.Entry<String, List<BenchSupport.Result>> entry : results.entrySet()) {
                if (entry.getKey().contains("rows per transaction")) {
                    printRatios(entry.getKey() + " / per-row pgbench", entry.getValue(), reference);
                }
            }
        }
    }

    /** One line: {@code runs}' rate over {@code reference}'s, round by round, and the median of those ratios. */
    private static void printRatios(String name, List<BenchSupport.Result> runs, List<BenchSupport.Result> reference) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ratios.add(runs.get(i).perSecond() / reference.get(i).perSecond());
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-48s", name));
        ratios.forEach(r -> line.append(String.format(Locale.ROOT, " %5.2f", r)));
        System.out.println(line.append(String.format(Locale.ROOT, "   median %.2f", BenchSupport.median(ratios))));
    }

    /** One writer's run of a round. */
    private interface Run {
        BenchSupport.Result run() throws Exception;
    }

    private static void record(Map<String, List<BenchSupport.Result>> results, BenchSupport.Result result) {
        System.out.println(result.line());
        results.computeIfAbsent(result.name(), k -> new ArrayList<>()).add(result);
    }

    private static double medianRate(List<BenchSupport.Result> results) {
        return BenchSupport.median(results.stream().map(BenchSupport.Result::perSecond).toList());
    }

    static BenchSupport.Result stogger(String name, int events, int warmup, int threads, String shape)
            throws Exception {
        return stogger(name, events, warmup, threads, shape, BenchSupport.DIRECT);
    }

    /** stogger sync as a plain application whose handler has these keys (a DSN, perhaps a pooler). */
    static BenchSupport.Result stogger(String name, int events, int warmup, int threads, String shape,
            Map<String, String> handlerKeys) throws Exception {
        return stogger(name, ChildJvm.OWN_JDK, events, warmup, threads, shape, handlerKeys);
    }

    /** As above, in a child JVM of the JDK at {@code javaHome}. */
    static BenchSupport.Result stogger(String name, Path javaHome, int events, int warmup, int threads, String shape,
            Map<String, String> handlerKeys) throws Exception {
        String table = "bench_sync_stogger";
        BenchSupport.freshTable(table);
        return ChildJvm.run(name, javaHome, JulApp.class, BenchSupport.loggingProperties(table, handlerKeys),
                Map.of("events", Integer.toString(events), "warmup", Integer.toString(warmup),
                        "threads", Integer.toString(threads), "shape", shape));
    }

    /** A plain JDBC application's prepared INSERT of the same row: what the JVM and pgjdbc cost alone. */
    static BenchSupport.Result jdbc(String name, Path javaHome, int events, int warmup) throws Exception {
        String table = "bench_sync_jdbc";
        BenchSupport.freshTable(table);
        return ChildJvm.run(name, javaHome, JdbcApp.class, null, Map.of("table", table, "events",
                Integer.toString(events), "warmup", Integer.toString(warmup)));
    }

    static BenchSupport.Result log4j(int events, int warmup) throws Exception {
        return ChildJvm.run("log4j2 JDBC appender (bufferSize=0)", Log4jJdbc.class, null, Map.of("table",
                "bench_sync_log4j", "warmup", Integer.toString(warmup), "events", Integer.toString(events),
                "bufferSize", "0"));
    }

    /**
     * pgbench committing {@code rowsPerTransaction} rows of the same shape in one multi-row
     * INSERT per transaction from {@code clients} clients: the most group commit can get from that
     * many connections with groups of that size, with no client cost. Reported in rows per second.
     */
    static BenchSupport.Result pgbenchGroups(int clients, int rowsPerTransaction, int events, int warmup)
            throws Exception {
        String table = "bench_sync_pgbench";
        BenchSupport.freshTable(table);
        StringJoiner rows = new StringJoiner(", ");
        for (int i = 0; i < rowsPerTransaction; i++) {
            rows.add(rowValues("' || (:order_id + " + i + ") || '"));
        }
        String script = ORDER_ID + insert(table, rows.toString());
        String name = "pgbench, " + rowsPerTransaction + " rows per transaction, " + clients + " client"
                + (clients == 1 ? "" : "s");
        int transactions = Math.max(1, events / rowsPerTransaction);
        BenchSupport.pgbench(name + ", warm-up", script, Math.max(1, warmup / rowsPerTransaction / clients), clients,
                false, false);
        BenchSupport.Result result = BenchSupport.pgbench(name, script, Math.max(1, transactions / clients), clients,
                false, true);
        return new BenchSupport.Result(name, result.perSecond() * rowsPerTransaction, null);
    }

    /**
     * pgbench inserting the row stogger writes for a {@code Fields} record, one per transaction:
     * {@code warmup} untimed transactions into a fresh table, then {@code events} timed ones into
     * the same table, as stogger's application writes its warm-up and then its timed records.
     */
    static BenchSupport.Result pgbench(String name, int clients, int events, int warmup, boolean perRow,
            boolean latencies) throws Exception {
        String table = "bench_sync_pgbench";
        BenchSupport.freshTable(table);
        String script = (perRow ? ORDER_ID : "") + insert(table, rowValues(perRow ? "' || :order_id || '" : "12345"));
        if (warmup > 0) {
            BenchSupport.pgbench(name + ", warm-up", script, Math.max(1, warmup / clients), clients, false, false);
        }
        return BenchSupport.pgbench(name, script, Math.max(1, events / clients), clients, latencies, true);
    }

    /** pgbench's line that draws a fresh {@code order_id} for each transaction. */
    private static final String ORDER_ID = "\\set order_id random(1, 1000000000)\n";

    /** pgbench's INSERT of these {@link #rowValues} into {@code table}. */
    private static String insert(String table, String values) {
        return "INSERT INTO " + table + " (timestamp, level, event, func, scope, data) VALUES " + values + ";\n";
    }

    /**
     * The VALUES tuple of the row stogger writes for a {@code Fields} record, with {@code orderId}
     * spliced into its {@code data} text (a constant, or SQL that concatenates a pgbench variable).
     */
    private static String rowValues(String orderId) {
        String data = "{\"logger\":\"bench.orders\",\"thread\":\"worker-0\",\"thread_id\":31,\"order_id\":"
                + orderId + ",\"amount\":9.99,\"customer\":\"c-42\"}";
        return "(now(), 'info', 'order-processed', 'stogger.bench.JulApp.orderProcessed', 'checkout', ('" + data
                + "')::jsonb)";
    }
}
