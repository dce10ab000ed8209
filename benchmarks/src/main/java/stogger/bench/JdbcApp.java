package stogger.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * The floor under stogger's sync path on the JVM: a plain JDBC application in a child JVM that
 * inserts the row stogger writes for a {@code Fields} record with one prepared INSERT per record
 * in autocommit, the way a service would without any logging library, on a connection opened with
 * pgjdbc's defaults. Beside {@code pgbench} (libpq, C) and stogger it separates what the JVM and
 * the driver cost from what stogger adds: the statement, the casts and the row's values are the
 * handler's ({@code timestamptz} and {@code jsonb} from text parameters).
 *
 * <p>System properties: {@code table}, {@code events}, {@code warmup}; prints the
 * {@code RESULT rate p50 p99} line that {@link ChildJvm} reads.
 */
public final class JdbcApp {

    private JdbcApp() {
    }

    public static void main(String[] args) throws SQLException {
        String table = System.getProperty("table");
        int events = Integer.getInteger("events", 20_000);
        int warmup = Integer.getInteger("warmup", 15_000);
        CpuUse.prepare();
        try (Connection connection = BenchSupport.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (timestamp, level, event, func, scope, data) VALUES (?::timestamptz, ?, ?, ?, ?, ?::jsonb)")) {
            insert(insert, 0, warmup, new long[warmup]);
            long[] nanos = new long[events];
            CpuUse cpu = new CpuUse();
            long start = System.nanoTime();
            insert(insert, warmup, events, nanos);
            double rate = events / ((System.nanoTime() - start) / 1e9);
            System.out.println(cpu.per(events));
            System.out.println(cpu.byThread(events));
            long rows = BenchSupport.count(table);
            if (rows != (long) warmup + events) {
                throw new IllegalStateException("wrote " + rows + " rows of " + (warmup + events));
            }
            BenchSupport.Latency latency = BenchSupport.Latency.ofNanos(nanos);
            System.out.printf(Locale.ROOT, "RESULT %.1f %.1f %.1f%n", rate, latency.p50(), latency.p99());
        }
    }

    private static void insert(PreparedStatement insert, int first, int events, long[] nanos) throws SQLException {
        for (int i = 0; i < events; i++) {
            long t0 = System.nanoTime();
            insert.setString(1, Instant.now().toString());
            insert.setString(2, "info");
            insert.setString(3, "order-processed");
            insert.setString(4, "stogger.bench.JulApp.orderProcessed");
            insert.setString(5, "checkout");
            insert.setString(6, "{\"logger\":\"bench.orders\",\"thread\":\"worker-0\",\"thread_id\":31,\"order_id\":"
                    + (first + i) + ",\"amount\":9.99,\"customer\":\"c-42\"}");
            insert.executeUpdate();
            nanos[i] = System.nanoTime() - t0;
        }
    }
}
