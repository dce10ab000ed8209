package stogger.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
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
    /** CPU time of the logging threads in the last {@link Workers#run}. */
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
        Workers workers = new Workers(threads, fields);
        workers.run(warmup, new long[warmup]);
        handler.flush();
        long[] nanos = new long[events];
        CpuUse cpu = new CpuUse();
        long start = System.nanoTime();
        workers.run(events, nanos);
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
        System.out.println(threadLine + String.format(Locale.ROOT, "; the logging threads (their own clocks) %.1f",
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

    /**
     * The logging threads, started once and kept from the warm-up to the timed run, as a
     * service's threads are and as the plain JDBC application's one thread is: the timed run does
     * not pay for starting threads and their first calls.
     */
    private static final class Workers {
        private final int threads;
        private final boolean fields;
        private final CyclicBarrier start;
        private final CyclicBarrier end;
        private volatile int events;
        private volatile long[] nanos;

        Workers(int threads, boolean fields) {
            this.threads = threads;
            this.fields = fields;
            this.start = new CyclicBarrier(threads + 1);
            this.end = new CyclicBarrier(threads + 1);
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread thread = new Thread(() -> work(index), "worker-" + t);
                thread.setDaemon(true);
                thread.start();
            }
        }

        /** Logs {@code events} records spread over the threads; each call's time goes to {@code nanos}. */
        void run(int events, long[] nanos) throws Exception {
            this.events = events;
            this.nanos = nanos;
            LOGGING_CPU_NANOS.set(0);
            start.await();
            end.await();
        }

        private void work(int index) {
            try {
                while (true) {
                    start.await();
                    long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    int from = (int) ((long) events * index / threads);
                    int to = (int) ((long) events * (index + 1) / threads);
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
                    }
                    LOGGING_CPU_NANOS.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore);
                    end.await();
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void orderProcessed(int orderId) {
        LOG.log(Level.INFO, "order-processed", Fields.of("order_id", orderId, "amount", 9.99, "customer", "c-42"));
    }

    private static void orderPaid(int orderId) {
        LOG.log(Level.INFO, "order {0} paid by {1}", new Object[] {orderId, "c-42"});
    }
}
