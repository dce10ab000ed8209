package stogger.bench;

import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Which batch write the asynchronous mode should use: pgjdbc's COPY (CopyManager) or one
 * {@code INSERT ... SELECT FROM unnest(...)} per batch, alternating, on the seed's table with its
 * four indexes. System properties: {@code rows} per method and round (default 200000),
 * {@code batch} (default 1000), {@code rounds} (default 3).
 */
public final class BatchMethodBenchmark {

    private BatchMethodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 200_000);
        int batch = Integer.getInteger("batch", 1_000);
        int rounds = Integer.getInteger("rounds", 3);
        System.out.printf(Locale.ROOT, "batch methods: %d rows per run in batches of %d, %d rounds%n", rows, batch,
                rounds);
        List<Double> copy = new ArrayList<>();
        List<Double> unnest = new ArrayList<>();
        List<Double> unordered = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            unnest.add(run("unnest", rows, batch));
            unordered.add(run("unnest_unordered", rows, batch));
            copy.add(run("copy", rows, batch));
        }
        double copyRate = BenchSupport.median(copy);
        double unnestRate = BenchSupport.median(unnest);
        double unorderedRate = BenchSupport.median(unordered);
        System.out.printf(Locale.ROOT, "median: COPY %.0f rows/s, INSERT ... unnest WITH ORDINALITY ORDER BY %.0f rows/s"
                + " (%.2f of COPY), INSERT ... unnest %.0f rows/s (%.2f of COPY)%n", copyRate, unnestRate,
                unnestRate / copyRate, unorderedRate, unorderedRate / copyRate);
    }

    private static double run(String method, int rows, int batch) throws Exception {
        String table = "bench_batch_" + method;
        BenchSupport.freshTable(table);
        try (Connection connection = BenchSupport.connect()) {
            long start = System.nanoTime();
            for (int done = 0; done < rows; done += batch) {
                int n = Math.min(batch, rows - done);
                if (method.equals("copy")) {
                    copy(connection, table, done, n);
                } else {
                    unnest(connection, table, done, n, method.equals("unnest"));
                }
            }
            double rate = rows / ((System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "  %-16s %8.0f rows/s%n", method, rate);
            if (BenchSupport.count(table) != rows) {
                throw new IllegalStateException(method + " lost rows");
            }
            return rate;
        }
    }

    static String data(int i) {
        return "{\"logger\":\"bench.orders\",\"thread\":\"main\",\"thread_id\":1,\"order_id\":" + i
                + ",\"amount\":9.99,\"customer\":\"c-42\"}";
    }

    private static void copy(Connection connection, String table, int first, int n) throws Exception {
        StringBuilder text = new StringBuilder(n * 200);
        String now = Instant.now().toString();
        for (int i = first; i < first + n; i++) {
            // COPY's text format: tab-separated; these values contain no tab, newline or backslash.
            text.append(now).append("\tinfo\torder-processed\tstogger.bench.Orders.process\tcheckout\t")
                    .append(data(i)).append('\n');
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY " + table + " (timestamp, level, event, func, scope, data) FROM STDIN",
                new StringReader(text.toString()));
    }

    private static void unnest(Connection connection, String table, int first, int n, boolean ordered)
            throws Exception {
        String[][] columns = new String[6][n];
        String now = Instant.now().toString();
        for (int i = 0; i < n; i++) {
            columns[0][i] = now;
            columns[1][i] = "info";
            columns[2][i] = "order-processed";
            columns[3][i] = "stogger.bench.Orders.process";
            columns[4][i] = "checkout";
            columns[5][i] = data(first + i);
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (timestamp, level, event, func, scope, data) SELECT ts::timestamptz, lvl, ev, fn, sc, dt::jsonb"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + (ordered ? " WITH ORDINALITY AS u(ts, lvl, ev, fn, sc, dt, ord) ORDER BY ord"
                        : " AS u(ts, lvl, ev, fn, sc, dt)"))) {
            for (int c = 0; c < 6; c++) {
                Array array = connection.createArrayOf("text", columns[c]);
                insert.setArray(c + 1, array);
            }
            insert.executeUpdate();
        }
    }
}
