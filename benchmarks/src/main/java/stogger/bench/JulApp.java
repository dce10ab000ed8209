package stogger.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;
import stogger.core.LogScope;
import stogger.postgres.HandlerStats;
import stogger.postgres.PostgresHandler;

/**
 * A plain JUL application, the way the harnesses run stogger: a child JVM whose handler comes
 * from {@code logging.properties} on the root logger ({@code -Djava.util.logging.config.file}),
 * logging from ordinary methods, so that JUL's caller inference, the handler's level check and
 * the renderer all run as they do in a service. It warms up, then times {@code events} calls
 * spread over {@code threads} threads until the handler has written every row ({@code flush}),
 * checks that every record became a row, and prints a {@link CpuUse} line and one {@code RESULT}
 * line for the harness.
 *
 * <p>System properties: {@code events}, {@code warmup}, {@code threads} (default 1),
 * {@code shape}: {@code fields} (three structured fields, {@code Fields.of}) or {@code pattern}
 * (a message pattern with two parameters).
 */
public final class JulApp {

    private static final Logger LOG = Logger.getLogger("bench.orders");
    /** CPU time of the logging threads of the last {@link #run}: they end before the run's figures are taken. */
    private static final AtomicLong LOGGING_CPU_NANOS = new AtomicLong();

    private JulApp() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 20_000);
        int warmup = Integer.getInteger("warmup", 15_000);
        int threads = Integer.getInteger("threads", 1);
        boolean fields = "fields".equals(System.getProperty("shape", "fields"));
        PostgresHandler handler = rootHandler();
        CpuUse.prepare();
        // For the same reason as CpuUse.prepare: the logging threads read their CPU time when they end.
        ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();

        // With as many threads as the timed run, so that its code paths (group commit with several) are compiled too.
        run(warmup, threads, fields, new long[warmup]);
        handler.flush();
        long[] nanos = new long[events];
        CpuUse cpu = new CpuUse();
        long start = System.nanoTime();
        run(events, threads, fields, nanos);
        handler.flush();
        double rate = events / ((System.nanoTime() - start) / 1e9);
        String cpuLine = cpu.per(events);
        String threadLine = cpu.byThread(events);

        HandlerStats stats = handler.stats();
        if (stats.written() != (long) events + warmup || stats.lost() != 0) {
            throw new IllegalStateException("not every record became a row: " + stats);
        }
        BenchSupport.Latency latency = BenchSupport.Latency.ofNanos(nanos);
        System.out.println(cpuLine);
        System.out.println(threadLine + String.format(Locale.ROOT, "; the logging threads (ended) %.1f",
                LOGGING_CPU_NANOS.get() / 1e3 / events));
        System.out.printf(Locale.ROOT, "RESULT %.1f %.1f %.1f%n", rate, latency.p50(), latency.p99());
    }

    private static PostgresHandler rootHandler() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof PostgresHandler postgres) {
                return postgres;
            }
        }
        throw new IllegalStateException("logging.properties puts no PostgresHandler on the root logger");
    }

    /** Logs {@code events} records from {@code threads} threads; each call's time goes to {@code nanos}. */
    private static void run(int events, int threads, boolean fields, long[] nanos) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        LOGGING_CPU_NANOS.set(0);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) events * t / threads);
            int to = (int) ((long) events * (t + 1) / threads);
            Thread thread = new Thread(() -> {
                try (LogScope scope = LogScope.open("checkout")) {
                    for (int i = from; i < to; i++) {
                        long t0 = System.nanoTime();
                        if (fields) {
                            orderProcessed(i);
                        } else {
                            orderPaid(i);
                        }
                        nanos[i] = System.nanoTime() - t0;
                    }
                } finally {
                    LOGGING_CPU_NANOS.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                    done.countDown();
                }
            }, "worker-" + t);
            started.add(thread);
            thread.start();
        }
        done.await();
    }

    private static void orderProcessed(int orderId) {
        LOG.log(Level.INFO, "order-processed", Fields.of("order_id", orderId, "amount", 9.99, "customer", "c-42"));
    }

    private static void orderPaid(int orderId) {
        LOG.log(Level.INFO, "order {0} paid by {1}", new Object[] {orderId, "c-42"});
    }
}
