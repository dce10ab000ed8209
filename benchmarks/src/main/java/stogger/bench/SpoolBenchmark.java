package stogger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import stogger.core.Fields;
import stogger.core.LogScope;
import stogger.postgres.HandlerStats;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;

/**
 * The durable spool beside plain async mode, one producer thread, the rows of
 * {@link AsyncThroughputBenchmark}: plain async; {@code spoolMode = always} with
 * {@code spoolSync = interval} (the default) and with {@code spoolSync = batch}; the append rate
 * into the spool while the database is unreachable (outage mode); and the replay rate of that
 * spool once the database is back. Rounds alternate the variants; raw rates, medians and ratios to
 * plain async are printed.
 *
 * <p>System properties: {@code events} (default 300000), {@code warmup} (default 50000),
 * {@code rounds} (default 3).
 */
public final class SpoolBenchmark {

    /** A DSN whose port refuses connections: the database is unreachable. */
    private static final String UNREACHABLE = "postgresql://postgres@127.0.0.1:1/test";

    private SpoolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 300_000);
        int warmup = Integer.getInteger("warmup", 50_000);
        int rounds = Integer.getInteger("rounds", 3);
        System.out.printf(Locale.ROOT, "spool benchmark: %d events, %d warm-up, %d rounds, server %s%n", events,
                warmup, rounds, BenchSupport.target());
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            record(rates, "plain async", AsyncThroughputBenchmark.stogger(events, warmup, 1));
            record(rates, "always, spoolSync=interval", always(events, warmup, "interval"));
            record(rates, "always, spoolSync=batch", always(events, warmup, "batch"));
            Path directory = Files.createTempDirectory("stogger-spool-bench");
            try {
                record(rates, "outage: append to spool", append(directory, events));
                record(rates, "replay of that spool", replay(directory, events));
            } finally {
                delete(directory);
            }
        }
        double plain = BenchSupport.median(rates.get("plain async"));
        System.out.println("-- medians over " + rounds + " rounds");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double rate = BenchSupport.median(entry.getValue());
            System.out.printf(Locale.ROOT, "%-32s %9.0f rows/s   %.2f x plain async%n", entry.getKey(), rate,
                    rate / plain);
        }
    }

    private static void record(Map<String, List<Double>> rates, String name, double rate) {
        System.out.printf(Locale.ROOT, "%-32s %9.0f rows/s%n", name, rate);
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
    }

    private static PostgresSettings.Builder settings(String dsn, String table, Path directory) {
        return PostgresSettings.builder().dsn(dsn).table(table).mode("async").overflow("block").blockTimeoutMs(60_000)
                .flushTimeoutMs(600_000).closeTimeoutMs(600_000).spoolDirectory(directory.toString())
                .spoolMaxBytes(Integer.MAX_VALUE);
    }

    private static Logger logger(PostgresHandler handler) {
        Logger logger = Logger.getLogger("bench.orders");
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        return logger;
    }

    /** Rows/s from the first publish until every row is committed, with every row through the spool. */
    static double always(int events, int warmup, String sync) throws Exception {
        String table = "bench_spool_always";
        BenchSupport.freshTable(table);
        BenchSupport.sql("DROP TABLE IF EXISTS " + table + "_spool");
        Path directory = Files.createTempDirectory("stogger-spool-bench");
        PostgresHandler handler = new PostgresHandler(settings(BenchSupport.DSN, table, directory).spoolMode("always")
                .spoolSync(sync).build());
        Logger logger = logger(handler);
        try {
            produce(logger, warmup);
            awaitWritten(handler, warmup);
            long start = System.nanoTime();
            produce(logger, events);
            awaitWritten(handler, (long) warmup + events);
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            logger.removeHandler(handler);
            handler.close();
            delete(directory);
        }
    }

    /** Rows/s into the spool while the database is unreachable, until every row is spooled. */
    static double append(Path directory, int events) throws Exception {
        PostgresHandler handler = new PostgresHandler(settings(UNREACHABLE, "bench_spool_replay", directory)
                .retryInitialMs(60_000).retryMaxMs(60_000).build());
        Logger logger = logger(handler);
        try {
            long start = System.nanoTime();
            produce(logger, events);
            while (handler.stats().spooled() < events) {
                Thread.sleep(1);
            }
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            logger.removeHandler(handler);
            handler.close();
        }
    }

    /** Rows/s of a new handler replaying the spool {@link #append} left, until it is empty. */
    static double replay(Path directory, int events) throws Exception {
        String table = "bench_spool_replay";
        BenchSupport.freshTable(table);
        BenchSupport.sql("DROP TABLE IF EXISTS " + table + "_spool");
        long start = System.nanoTime();
        PostgresHandler handler = new PostgresHandler(settings(BenchSupport.DSN, table, directory).build());
        try {
            awaitWritten(handler, events);
            double rate = events / ((System.nanoTime() - start) / 1e9);
            if (BenchSupport.count(table) != events) {
                throw new IllegalStateException("replay wrote " + BenchSupport.count(table) + " rows");
            }
            return rate;
        } finally {
            handler.close();
        }
    }

    private static void awaitWritten(PostgresHandler handler, long rows) throws InterruptedException {
        while (true) {
            HandlerStats stats = handler.stats();
            if (stats.lost() != 0) {
                throw new IllegalStateException("records were lost: " + stats);
            }
            if (stats.written() >= rows) {
                return;
            }
            Thread.sleep(1);
        }
    }

    private static void produce(Logger logger, int events) {
        try (LogScope scope = LogScope.open("checkout")) {
            for (int i = 0; i < events; i++) {
                logger.log(Level.INFO, "order-processed", Fields.of("order_id", i, "amount", 9.99, "customer",
                        "c-42"));
            }
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
