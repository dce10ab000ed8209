package stogger.core;

import java.util.Iterator;
import java.util.Set;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

/**
 * Finds the code that logged a record faster than {@link LogRecord#getSourceClassName()} does,
 * with the same answer. A handler calls {@link #inferSource(LogRecord)} first thing in its
 * {@code publish}, on the logging thread.
 *
 * <p><b>Why.</b> JUL infers the caller lazily, walking the stack from wherever the source is first
 * asked for; from inside a handler's rendering that walk is deep enough to need a second batch of
 * frames and costs 2 to 3 µs on JDK 17, most of what an asynchronous handler's caller pays. Walked
 * from the top of {@code publish}, the few frames to the caller fit in the walker's first batch.
 *
 * <p><b>Same answer as JUL.</b> The source is set only when the record was made by one of
 * {@link java.util.logging.Logger}'s own methods that leave the source to be inferred
 * ({@code log} with a level, {@code severe} to {@code finest}), called straight from a frame that
 * JUL's own inference would report: then that frame is the one
 * {@link LogRecord#getSourceClassName()} would find. Everything else is left to JUL: {@code logp},
 * {@code logrb}, {@code entering}, {@code exiting}, {@code throwing} and {@code log(LogRecord)}
 * (whose source may have been set by whoever built the record), platform and
 * {@code System.Logger} bridges, frames JUL skips (including the
 * packages of the {@code jdk.logger.packages} system property), and a {@code publish} not called
 * by a logger at all. One difference remains: a logger {@link java.util.logging.Filter} or an
 * earlier handler that <em>sets</em> the source of such a record has it replaced by the real
 * caller.
 */
public final class CallerInference {

    private static final String LOGGER = "java.util.logging.Logger";
    private static final String LOGGING_PACKAGE = "java.util.logging.";
    private static final Set<String> INFERRING_METHODS = Set.of("log", "severe", "warning", "info", "config", "fine",
            "finer", "finest");
    // Callers JUL treats specially (skips, or stops at): left to JUL's own inference.
    private static final String[] LEFT_TO_JUL = {"sun.util.logging.", "sun.rmi.runtime.Log", "jdk.internal.logger.",
        "java.lang.invoke.MethodHandle", "java.security.AccessController"};
    private static final String[] SKIPPED_BY_PROPERTY = skippedByProperty();
    private static final StackWalker WALKER = walker();

    private CallerInference() {
    }

    /**
     * Sets the record's source class and method to its caller when that is certainly what JUL
     * would infer (see the class description); leaves the record as it is otherwise. Never throws.
     *
     * @param record the record being published, on the thread that logged it; null is ignored
     */
    public static void inferSource(LogRecord record) {
        if (record == null || WALKER == null) {
            return;
        }
        StackWalker.StackFrame caller;
        try {
            caller = WALKER.walk(CallerInference::callerOfLogger);
        } catch (RuntimeException e) {
            return;
        }
        if (caller != null) {
            record.setSourceClassName(caller.getClassName());
            record.setSourceMethodName(caller.getMethodName());
        }
    }

    private static StackWalker.StackFrame callerOfLogger(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> above = frames.iterator();
        while (above.hasNext()) {
            StackWalker.StackFrame frame = above.next();
            if (LOGGER.equals(frame.getClassName())) {
                return callerBelow(frame, above);
            }
            if (frame.getClassName().startsWith("sun.util.logging.PlatformLogger")) {
                return null;
            }
        }
        return null;
    }

    private static StackWalker.StackFrame callerBelow(StackWalker.StackFrame firstLoggerFrame,
            Iterator<StackWalker.StackFrame> frames) {
        StackWalker.StackFrame entry = firstLoggerFrame;
        while (frames.hasNext()) {
            StackWalker.StackFrame frame = frames.next();
            if (!frame.getClassName().startsWith(LOGGING_PACKAGE)) {
                return infersSource(entry, firstLoggerFrame) && !leftToJul(frame) ? frame : null;
            }
            entry = frame;
        }
        return null;
    }

    /**
     * Whether the outermost logging frame is a Logger method that makes a record without a
     * source: a level method, or {@code log} with a level, which reaches the handlers through
     * further Logger frames; {@code log(LogRecord)} called by the caller itself is the first
     * Logger frame.
     */
    private static boolean infersSource(StackWalker.StackFrame entry, StackWalker.StackFrame firstLoggerFrame) {
        return LOGGER.equals(entry.getClassName()) && INFERRING_METHODS.contains(entry.getMethodName())
                && (entry != firstLoggerFrame || !entry.getMethodName().equals("log"));
    }

    private static boolean leftToJul(StackWalker.StackFrame frame) {
        if (System.Logger.class.isAssignableFrom(frame.getDeclaringClass())) {
            return true;
        }
        String className = frame.getClassName();
        for (String prefix : LEFT_TO_JUL) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        for (String prefix : SKIPPED_BY_PROPERTY) {
            if (!prefix.isEmpty() && className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String[] skippedByProperty() {
        try {
            String packages = System.getProperty("jdk.logger.packages");
            return packages == null ? new String[0] : packages.split(",");
        } catch (SecurityException e) {
            return new String[0];
        }
    }

    // Class references are needed to tell System.Logger implementations, as JUL does; a security
    // manager may refuse them, and then JUL infers every source itself.
    private static StackWalker walker() {
        try {
            return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
        } catch (SecurityException e) {
            return null;
        }
    }
}
