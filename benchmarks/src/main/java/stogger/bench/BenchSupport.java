package stogger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;

/** What the harnesses share: the server, tables, percentiles, pgbench and psql. */
final class BenchSupport {

    static final String DSN = System.getenv().getOrDefault("STOGGER_BENCH_DSN",
            "postgresql://postgres@127.0.0.1:5432/test");
    /** The handler keys of a stogger application that connects to {@link #DSN} directly. */
    static final Map<String, String> DIRECT = Map.of("dsn", DSN);

    private BenchSupport() {
    }

    static ConnectionTarget target() {
        return Dsn.parse(DSN, System.getenv("STOGGER_POSTGRES_PASSWORD"), "STOGGER_BENCH_DSN");
    }

    static Connection connect() throws SQLException {
        ConnectionTarget target = target();
        return DriverManager.getConnection(target.jdbcUrl(), target.copyOfProperties());
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static long count(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A {@code CHECKPOINT}, so that the next run does not pay for the dirty pages and WAL of the
     * one before it; needs a superuser or the {@code pg_checkpoint} role.
     */
    static void checkpoint() throws SQLException {
        try {
            sql("CHECKPOINT");
        } catch (SQLException e) {
            throw new SQLException("CHECKPOINT before a run failed (the benchmark's role needs superuser or"
                    + " pg_checkpoint): " + e.getMessage(), e);
        }
    }

    /** The list started at position {@code by} (modulo its size), the ones before it moved to the end. */
    static <T> List<T> rotated(List<T> list, int by) {
        List<T> rotated = new ArrayList<>(list);
        java.util.Collections.rotate(rotated, -Math.floorMod(by, Math.max(1, list.size())));
        return rotated;
    }

    /** A fresh table with the seed's schema, created by the handler itself. */
    static void freshTable(String table) throws SQLException {
        sql("DROP TABLE IF EXISTS " + table);
        new PostgresHandler(PostgresSettings.builder().dsn(DSN).table(table).build()).close();
    }

    /**
     * The {@code logging.properties} of a plain application whose root logger has only a
     * PostgresHandler, writing to {@code table}, with these handler keys.
     */
    static List<String> loggingProperties(String table, java.util.Map<String, String> handlerKeys) {
        List<String> lines = new ArrayList<>(List.of("handlers = stogger.postgres.PostgresHandler", ".level = INFO",
                "stogger.postgres.PostgresHandler.table = " + table));
        handlerKeys.forEach((key, value) -> lines.add("stogger.postgres.PostgresHandler." + key + " = " + value));
        return lines;
    }

    /** Median and 99th percentile of a sample, in microseconds. */
    record Latency(double p50, double p99) {
        static Latency ofNanos(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0);
        }

        static Latency ofMicros(List<Long> micros) {
            long[] nanos = micros.stream().mapToLong(m -> m * 1000).toArray();
            return ofNanos(nanos);
        }
    }

    /** One measured run: rate in events (or rows) per second and per-event latency. */
    record Result(String name, double perSecond, Latency latency) {
        String line() {
            return String.format(Locale.ROOT, "%-50s %10.0f /s   p50 %8.1f us   p99 %8.1f us", name, perSecond,
                    latency == null ? Double.NaN : latency.p50(), latency == null ? Double.NaN : latency.p99());
        }
    }

    /**
     * Runs {@code pgbench -M prepared} as its users time it: {@code clients} clients, each running
     * the script {@code transactionsPerClient} times, rate from its own {@code tps} line. With
     * {@code logLatencies} it also writes its per-transaction log ({@code -l}) and the latencies
     * come from it; that log costs pgbench time, so a timed reference run passes false and
     * latencies come from a separate run. A timed run prints its {@link CpuUse} line.
     */
    static Result pgbench(String name, String script, int transactionsPerClient, int clients, boolean logLatencies,
            boolean timed) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pgbench");
        Path file = dir.resolve("script.sql");
        Files.writeString(file, script);
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-c",
                Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)), "-t",
                Integer.toString(transactionsPerClient)));
        if (logLatencies) {
            command.add("-l");
        }
        command.addAll(List.of("-f", file.toString(), DSN));
        CpuUse cpu = new CpuUse();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher processed = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
        if (timed && !logLatencies && processed.find()) {
            System.out.println("   " + name + ": " + cpu.per(Long.parseLong(processed.group(1))));
        }
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("no tps in pgbench output:\n" + output);
        }
        List<Long> micros = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("pgbench_log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] columns = line.split(" ");
                    micros.add(Long.parseLong(columns[2]));
                }
                Files.delete(log);
            }
        }
        Files.delete(file);
        Files.delete(dir);
        return new Result(name, Double.parseDouble(tps.group(1)), micros.isEmpty() ? null : Latency.ofMicros(micros));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
