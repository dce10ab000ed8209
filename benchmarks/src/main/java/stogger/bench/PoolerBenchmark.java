package stogger.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The handler through PgBouncer in transaction pooling mode ({@code pooler = transaction}) beside
 * the same handler connected directly to the server PgBouncer forwards to, sync and async, in
 * rounds that alternate the four (odd rounds start with the direct connection, even ones with
 * PgBouncer), into the same kind of table (created by the handler) with the same rows. Prints
 * every round's rate, then the medians and the ratio pooler/direct.
 *
 * <p>System properties: {@code rounds} (default 3), {@code syncEvents} per sync run (default
 * 20000, after {@code warmup} events, default 15000, as in {@link SyncBenchmark}),
 * {@code asyncEvents} per async run (default 300000, after {@code asyncWarmup}, default 50000),
 * {@code poolSize} (PgBouncer's {@code default_pool_size}, default 2). The server is
 * {@code STOGGER_BENCH_DSN}, which must be a {@code postgresql://} URI with user, host and port here.
 */
public final class PoolerBenchmark {

    private static final String SYNC_DIRECT = "sync, direct";
    private static final String SYNC_POOLED = "sync, PgBouncer";
    private static final String ASYNC_DIRECT = "async, direct";
    private static final String ASYNC_POOLED = "async, PgBouncer";

    private PoolerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        int syncEvents = Integer.getInteger("syncEvents", 20_000);
        int asyncEvents = Integer.getInteger("asyncEvents", 300_000);
        int asyncWarmup = Integer.getInteger("asyncWarmup", 50_000);
        int poolSize = Integer.getInteger("poolSize", 2);
        URI direct = URI.create(BenchSupport.DSN);
        if (direct.getHost() == null || direct.getPort() < 0 || direct.getUserInfo() == null) {
            throw new IllegalStateException("PoolerBenchmark needs STOGGER_BENCH_DSN as a postgresql:// URI with a"
                    + " user, a host and a port, not " + BenchSupport.target());
        }
        String user = direct.getUserInfo().split(":", 2)[0];
        try (BenchPgBouncer bouncer = BenchPgBouncer.start(direct.getHost(), direct.getPort(), user, poolSize)) {
            String pooled = new URI(direct.getScheme(), direct.getUserInfo(), "127.0.0.1", bouncer.port(),
                    direct.getPath(), direct.getQuery(), null).toString();
            System.out.printf(Locale.ROOT, "pooler benchmark: %d rounds; sync %d events after %d, async %d after %d;"
                    + " direct %s, PgBouncer (pool_mode = transaction, default_pool_size = %d) on port %d%n", rounds,
                    syncEvents, SyncBenchmark.WARMUP, asyncEvents, asyncWarmup, BenchSupport.target(), poolSize,
                    bouncer.port());
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                System.out.println("-- round " + round);
                // Odd rounds start with the direct connection, even ones with PgBouncer, so that
                // neither always meets the JVM colder or the server's caches warmer.
                boolean directFirst = round % 2 == 1;
                for (boolean viaDirect : List.of(directFirst, !directFirst)) {
                    String name = viaDirect ? SYNC_DIRECT : SYNC_POOLED;
                    BenchSupport.Result result = SyncBenchmark.stogger(name, syncEvents,
                            SyncBenchmark.WARMUP, 1, "fields", settings(viaDirect, pooled));
                    record(rates, name, result.perSecond());
                }
                for (boolean viaDirect : List.of(directFirst, !directFirst)) {
                    record(rates, viaDirect ? ASYNC_DIRECT : ASYNC_POOLED, AsyncThroughputBenchmark.stogger(asyncEvents,
                            asyncWarmup, 1, settings(viaDirect, pooled)));
                }
            }
            System.out.println("-- medians over " + rounds + " rounds");
            for (String name : rates.keySet()) {
                System.out.printf(Locale.ROOT, "%-18s %9.0f records/s%n", name, BenchSupport.median(rates.get(name)));
            }
            ratio(rates, SYNC_POOLED, SYNC_DIRECT);
            ratio(rates, ASYNC_POOLED, ASYNC_DIRECT);
        }
    }

    private static Map<String, String> settings(boolean direct, String pooledDsn) {
        return direct ? BenchSupport.DIRECT : Map.of("dsn", pooledDsn, "pooler", "transaction");
    }

    private static void record(Map<String, List<Double>> rates, String name, double rate) {
        System.out.printf(Locale.ROOT, "%-18s %9.0f records/s%n", name, rate);
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
    }

    private static void ratio(Map<String, List<Double>> rates, String pooled, String direct) {
        System.out.printf(Locale.ROOT, "%s / %s: %.2f%n", pooled, direct,
                BenchSupport.median(rates.get(pooled)) / BenchSupport.median(rates.get(direct)));
    }
}
