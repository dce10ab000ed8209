package stogger.postgres;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Helpers the handler's tests share: captured stderr, threads that start together, and waiting
 * for a condition until a deadline.
 */
final class TestSupport {

    /** How often {@link #awaitUntil} checks its condition. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    /** Test code that may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Test code that may throw and can read what has been printed on stderr so far. */
    @FunctionalInterface
    interface CapturingAction {
        void run(Supplier<String> stderrSoFar) throws Exception;
    }

    private TestSupport() {
    }

    /** Runs the action with System.err captured and returns what it printed there. */
    static String captureStderr(Action action) throws Exception {
        return captureStderr(stderrSoFar -> action.run());
    }

    /**
     * Runs the action with System.err captured and returns what it printed there; the action can
     * read the capture while it runs (to wait for a line, say).
     */
    static String captureStderr(CapturingAction action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // ByteArrayOutputStream's methods are synchronized, so reading while others print is safe.
            action.run(() -> captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Checks the condition every {@link #POLL_INTERVAL} until it holds; fails the test when it
     * still does not hold after {@code timeout}. The timeout only keeps a broken test from
     * hanging: make it generous (seconds), since a shared machine can be slow.
     */
    static void awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        awaitUntil(condition, timeout, () -> "the condition");
    }

    /**
     * Like {@link #awaitUntil(BooleanSupplier, Duration)}; the failure message says what was
     * awaited ({@code what} is asked only then, so it can describe the state at the deadline).
     */
    static void awaitUntil(BooleanSupplier condition, Duration timeout, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms, still not true: " + what.get());
            }
            TimeUnit.NANOSECONDS.sleep(POLL_INTERVAL.toNanos());
        }
    }

    /** Starts {@code threads} threads at once, each running the body with its index, and waits for all. */
    static void runConcurrently(int threads, IntConsumer body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                body.accept(index);
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
    }
}
