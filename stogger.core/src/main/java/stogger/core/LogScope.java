package stogger.core;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A named stretch of work on one thread, the Java form of the Python edition's
 * {@code log_scope}.
 *
 * <p>While a scope is open, every record logged on its thread carries the scope's name in the
 * {@code scope} column (the innermost scope when scopes nest) and the fields of every open scope
 * in {@code data}:
 * <pre>{@code
 * try (LogScope scope = LogScope.open("checkout", "order_id", 42)) {
 *     logger.info("payment-accepted");          // scope = checkout, data.order_id = 42
 * }                                             // logs scope-end at FINE with duration_ms
 * }</pre>
 * {@link #run(String, Action)} and {@link #call(String, Body)} additionally log
 * {@code scope-failed} at WARNING, with the exception's type and message and the duration, when
 * the body throws, and rethrow the exception. The default logger is {@value #LOGGER_NAME}.
 *
 * <p>A scope belongs to the thread that opened it: close it on that thread, in reverse order of
 * opening (try-with-resources does both). Closing twice does nothing the second time.
 */
public final class LogScope implements AutoCloseable {

    /** Name of the logger that scope events go to unless another is given. */
    public static final String LOGGER_NAME = "stogger.scope";

    private static final ThreadLocal<ArrayDeque<LogScope>> OPEN = new ThreadLocal<>();
    private static final Logger DEFAULT_LOGGER = Logger.getLogger(LOGGER_NAME);
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Logger logger;
    private final String name;
    private final Fields fields;
    private final long startNanos;
    private final Thread owner;
    private boolean closed;
    private boolean failed;

    private LogScope(Logger logger, String name, Fields fields) {
        this.logger = logger;
        this.name = name == null ? "null" : name;
        this.fields = fields == null ? Fields.empty() : fields;
        this.startNanos = System.nanoTime();
        this.owner = Thread.currentThread();
    }

    /**
     * Opens a scope on the current thread, logging to {@value #LOGGER_NAME}.
     *
     * @param name the scope name, stored in the {@code scope} column
     * @param keysAndValues fields bound to every record inside the scope, as for
     *     {@link Fields#of(Object...)}
     * @return the open scope; close it with try-with-resources
     */
    public static LogScope open(String name, Object... keysAndValues) {
        return open(DEFAULT_LOGGER, name, Fields.of(keysAndValues));
    }

    /**
     * Opens a scope on the current thread whose scope events go to the given logger.
     *
     * @param logger the logger for {@code scope-end} and {@code scope-failed}
     * @param name the scope name
     * @param fields fields bound to every record inside the scope
     * @return the open scope
     */
    public static LogScope open(Logger logger, String name, Fields fields) {
        LogScope scope = new LogScope(logger == null ? DEFAULT_LOGGER : logger, name, fields);
        ArrayDeque<LogScope> stack = OPEN.get();
        if (stack == null) {
            stack = new ArrayDeque<>();
            OPEN.set(stack);
        }
        stack.addLast(scope);
        return scope;
    }

    /**
     * Runs a body inside a scope: {@code scope-end} when it returns, {@code scope-failed} (and the
     * exception rethrown) when it throws.
     *
     * @param <E> what the body may throw
     * @param name the scope name
     * @param body the work
     * @throws E whatever the body throws
     */
    public static <E extends Exception> void run(String name, Action<E> body) throws E {
        call(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Computes a value inside a scope: {@code scope-end} when it returns, {@code scope-failed}
     * (and the exception rethrown) when it throws.
     *
     * @param <T> the result type
     * @param <E> what the body may throw
     * @param name the scope name
     * @param body the work
     * @return what the body returned
     * @throws E whatever the body throws
     */
    public static <T, E extends Exception> T call(String name, Body<T, E> body) throws E {
        try (LogScope scope = open(name)) {
            try {
                return body.call();
            } catch (Exception | Error e) {
                scope.fail(e);
                throw e;
            }
        }
    }

    /**
     * Logs {@code scope-failed} at WARNING with the exception and marks the scope failed, so
     * that closing it logs nothing more. Use it inside try-with-resources when the scope's work
     * fails; it does not rethrow.
     *
     * @param failure what went wrong
     */
    public void fail(Throwable failure) {
        if (closed || failed) {
            return;
        }
        failed = true;
        if (logger.isLoggable(Level.WARNING)) {
            Fields details = Fields.of("duration_ms", durationMillis(),
                    "error_type", failure == null ? "null" : failure.getClass().getName(),
                    "error_message", failure == null ? null : JsonConverter.safeMessage(failure));
            LogRecord record = record(Level.WARNING, "scope-failed", details);
            record.setThrown(failure);
            logger.log(record);
        }
    }

    /**
     * Ends the scope: logs {@code scope-end} at FINE with {@code duration_ms} (unless it
     * {@linkplain #fail failed}) and unbinds it from the thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!failed && logger.isLoggable(Level.FINE)) {
            logger.log(record(Level.FINE, "scope-end", Fields.of("duration_ms", durationMillis())));
        }
        closed = true;
        if (Thread.currentThread() == owner) {
            ArrayDeque<LogScope> stack = OPEN.get();
            if (stack != null) {
                stack.removeLastOccurrence(this);
                if (stack.isEmpty()) {
                    OPEN.remove();
                }
            }
        }
    }

    /**
     * The scope's name.
     *
     * @return the name given to {@code open}
     */
    public String name() {
        return name;
    }

    /**
     * The fields bound by this scope.
     *
     * @return the fields; never null
     */
    public Fields fields() {
        return fields;
    }

    /**
     * The name of the innermost scope open on the current thread.
     *
     * @return the name, or empty outside any scope
     */
    public static Optional<String> current() {
        ArrayDeque<LogScope> stack = OPEN.get();
        return stack == null || stack.isEmpty() ? Optional.empty() : Optional.of(stack.peekLast().name);
    }

    /** The scopes open on the current thread, outermost first; empty when none. */
    static Iterable<LogScope> openOnCurrentThread() {
        ArrayDeque<LogScope> stack = OPEN.get();
        return stack == null ? Collections.emptyList() : stack;
    }

    private double durationMillis() {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1_000.0;
    }

    private LogRecord record(Level level, String event, Fields details) {
        LogRecord record = new LogRecord(level, event);
        record.setLoggerName(logger.getName());
        record.setParameters(new Object[] {details});
        // The scope's events belong to the code that used the scope, not to this class.
        WALKER.walk(frames -> frames.filter(f -> !f.getClassName().equals(LogScope.class.getName())).findFirst())
                .ifPresent(frame -> {
                    record.setSourceClassName(frame.getClassName());
                    record.setSourceMethodName(frame.getMethodName());
                });
        return record;
    }

    /**
     * A scope body that returns nothing.
     *
     * @param <E> what it may throw
     */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        /**
         * Does the work.
         *
         * @throws E on failure
         */
        void run() throws E;
    }

    /**
     * A scope body that returns a value.
     *
     * @param <T> the result type
     * @param <E> what it may throw
     */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        /**
         * Does the work.
         *
         * @return the result
         * @throws E on failure
         */
        T call() throws E;
    }
}
