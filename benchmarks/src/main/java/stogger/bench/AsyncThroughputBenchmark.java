package stogger.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous mode's throughput beside {@code psql \copy} of the same number of rows of the
 * same shape into the same kind of table (the seed's, with its four indexes), beside two
 * {@code \copy} sessions at once (what a second connection adds on this server), and beside
 * Log4j2's JDBC appender with {@code bufferSize=1000} and a pooled connection. Rounds alternate
 * the writers, each round starting one writer later than the round before, every run after a
 * {@code CHECKPOINT}; the medians and ratios close the output. Beside them, two stogger
 * applications at once, each with half the records and its own writer connection into the same
 * table: what a second writer connection could add on this machine, JVM and server CPU included.
 *
 * <p>System properties: {@code events} (default 1000000), {@code warmup} (default 100000),
 * {@code log4jEvents} (default 200000), {@code rounds} (default 3), {@code batchSize} (default: the
 * handler's default).
 */
public final class AsyncThroughputBenchmark {

    private AsyncThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 1_000_000);
        int warmup = Integer.getInteger("warmup", 100_000);
        int log4jEvents = Integer.getInteger("log4jEvents", 200_000);
        int rounds = Integer.getInteger("rounds", 3);
        System.out.printf(Locale.ROOT, "async benchmark: %d events, %d warm-up, %d rounds, server %s%n", events,
                warmup, rounds, BenchSupport.target());
        Path copyFile = copyFile(0, events);
        List<Path> halves = List.of(copyFile(0, events / 2), copyFile(events / 2, events - events / 2));
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Run> runs = new LinkedHashMap<>();
        runs.put("stogger async, 1 thread", () -> stogger(events, warmup, 1));
        runs.put("stogger async, 4 threads", () -> stogger(events, warmup, 4));
        runs.put("stogger async, 2 processes", () -> stoggerProcesses(2, events, warmup));
        runs.put("psql \\copy", () -> psqlCopy(List.of(copyFile), events));
        runs.put("psql \\copy, 2 sessions at once", () -> psqlCopy(halves, events));
        runs.put("log4j2 JDBC, bufferSize=1000", () -> log4j(log4jEvents));
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            for (Map.Entry<String, Run> run : BenchSupport.rotated(List.copyOf(runs.entrySet()), round - 1)) {
                BenchSupport.checkpoint();
                record(rates, run.getKey(), run.getValue().rate());
            }
        }
        double copy = BenchSupport.median(rates.get("psql \\copy"));
        double log4j = BenchSupport.median(rates.get("log4j2 JDBC, bufferSize=1000"));
        System.out.println("-- medians over " + rounds + " rounds");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double rate = BenchSupport.median(entry.getValue());
            System.out.printf(Locale.ROOT, "%-32s %9.0f rows/s   %.2f x psql \\copy   %.2f x log4j2%n", entry.getKey(),
                    rate, rate / copy, rate / log4j);
        }
        System.out.println("-- per-round ratios to psql \\copy of the same round, and their median");
        List<Double> reference = rates.get("psql \\copy");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                ratios.add(entry.getValue().get(i) / reference.get(i));
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-32s", entry.getKey()));
            ratios.forEach(r -> line.append(String.format(Locale.ROOT, " %5.2f", r)));
            System.out.println(line.append(String.format(Locale.ROOT, "   median %.2f", BenchSupport.median(ratios))));
        }
        Files.deleteIfExists(copyFile);
        for (Path half : halves) {
            Files.deleteIfExists(half);
        }
    }

    /** One writer's run of a round; rows per second. */
    private interface Run {
        double rate() throws Exception;
    }

    private static void record(Map<String, List<Double>> rates, String name, double rate) {
        System.out.printf(Locale.ROOT, "%-32s %9.0f rows/s%n", name, rate);
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
    }

    /** stogger as a plain application with default settings but {@code mode = async}, in its own JVM. */
    static double stogger(int events, int warmup, int threads) throws Exception {
        return stogger(events, warmup, threads, BenchSupport.DIRECT);
    }

    /** The same with these handler keys (a DSN, perhaps a pooler); rows per second. */
    static double stogger(int events, int warmup, int threads, Map<String, String> handlerKeys) throws Exception {
        String table = "bench_async_stogger";
        BenchSupport.freshTable(table);
        Map<String, String> keys = new LinkedHashMap<>(handlerKeys);
        keys.put("mode", "async");
        String batchSize = System.getProperty("batchSize");
        if (batchSize != null) {
            keys.put("batchSize", batchSize);
        }
        return ChildJvm.run("stogger async", JulApp.class, BenchSupport.loggingProperties(table, keys),
                Map.of("events", Integer.toString(events), "warmup", Integer.toString(warmup), "threads",
                        Integer.toString(threads), "shape", "fields")).perSecond();
    }

    /**
     * {@code processes} stogger applications started at once, each logging its share of the
     * records through its own async handler and connection into one fresh table; rows per second
     * of all of them together, taken as all rows over the longest of their timed runs (their
     * warm-ups run at the same time too, so their timed runs overlap).
     */
    static double stoggerProcesses(int processes, int events, int warmup) throws Exception {
        String table = "bench_async_stogger";
        BenchSupport.freshTable(table);
        List<String> properties = BenchSupport.loggingProperties(table, Map.of("dsn", BenchSupport.DSN, "mode",
                "async"));
        int share = events / processes;
        ExecutorService starter = Executors.newFixedThreadPool(processes);
        try {
            List<Future<BenchSupport.Result>> results = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                results.add(starter.submit(() -> ChildJvm.run("stogger async, one of " + processes + " processes",
                        JulApp.class, properties, Map.of("events", Integer.toString(share), "warmup",
                                Integer.toString(warmup / processes), "threads", "1", "shape", "fields"))));
            }
            double longestSeconds = 0;
            for (Future<BenchSupport.Result> result : results) {
                longestSeconds = Math.max(longestSeconds, share / result.get().perSecond());
            }
            return share * processes / longestSeconds;
        } finally {
            starter.shutdownNow();
        }
    }

    /**
     * The rows psql copies: the same columns and the same JSON shape as the handler writes, with
     * {@code order_id} from {@code first} on.
     */
    private static Path copyFile(int first, int rows) throws Exception {
        Path file = Files.createTempFile("stogger-copy", ".tsv");
        String now = Instant.now().toString();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows; i++) {
                out.write(now);
                out.write("\tinfo\torder-processed\tstogger.bench.JulApp.orderProcessed\tcheckout\t"
                        + "{\"logger\":\"bench.orders\",\"thread\":\"worker-0\",\"thread_id\":31,\"order_id\":" + (first + i)
                        + ",\"amount\":9.99,\"customer\":\"c-42\"}\n");
            }
        }
        return file;
    }

    /**
     * Rows per second of one {@code psql \copy} per file, all started at once into one fresh table:
     * with two files, what a second connection adds on this server.
     */
    static double psqlCopy(List<Path> files, int rows) throws Exception {
        String table = "bench_async_copy";
        BenchSupport.freshTable(table);
        CpuUse cpu = new CpuUse();
        long start = System.nanoTime();
        List<Process> sessions = new ArrayList<>();
        for (Path file : files) {
            sessions.add(new ProcessBuilder("psql", "-v", "ON_ERROR_STOP=1", "-q", "-c", "\\copy " + table
                    + " (timestamp, level, event, func, scope, data) FROM '" + file + "'", BenchSupport.DSN)
                    .redirectErrorStream(true).start());
        }
        for (Process psql : sessions) {
            String output = new String(psql.getInputStream().readAllBytes());
            if (!psql.waitFor(600, TimeUnit.SECONDS) || psql.exitValue() != 0) {
                throw new IllegalStateException("psql failed: " + output);
            }
        }
        double rate = rows / ((System.nanoTime() - start) / 1e9);
        System.out.println("   psql \\copy, " + files.size() + " session(s): " + cpu.per(rows));
        if (BenchSupport.count(table) != rows) {
            throw new IllegalStateException("\\copy wrote " + BenchSupport.count(table) + " rows");
        }
        return rate;
    }

    static double log4j(int events) throws Exception {
        return ChildJvm.run("log4j2 JDBC, bufferSize=1000", Log4jJdbc.class, null, Map.of("table",
                "bench_async_log4j", "warmup", "0", "events", Integer.toString(events), "bufferSize", "1000"))
                .perSecond();
    }
}
