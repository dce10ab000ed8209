package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source {@link CallerInference} sets is the one JUL infers, and it sets none where JUL's
 * answer could differ. Each record is read after the logging call returned: a source JUL would
 * still have to infer then finds no logger on the stack and is null, so a null source shows that
 * the record was left to JUL, and a set one that it was inferred in {@code publish}.
 */
class CallerInferenceTest {

    private static final String HERE = CallerInferenceTest.class.getName();

    private final Recording recording = new Recording();
    private Logger logger;

    @BeforeEach
    void attach() {
        logger = Logger.getLogger("stogger.core.CallerInferenceTest." + System.nanoTime());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(recording);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(recording);
    }

    @Test
    void infoIsInferredAsJulWould() {
        logger.info("plain");
        assertInferred("infoIsInferredAsJulWould");
    }

    @Test
    void everyLevelMethodAndLogWithALevelIsInferred() {
        logger.severe("s");
        logger.warning("w");
        logger.config("c");
        logger.fine("f");
        logger.finer("fr");
        logger.finest(() -> "ft");
        logger.log(Level.INFO, "with {0}", 1);
        logger.log(Level.INFO, "with {0} {1}", new Object[] {1, 2});
        logger.log(Level.INFO, "thrown", new IllegalStateException("x"));
        logger.log(Level.INFO, new IllegalStateException("x"), () -> "supplied");
        logger.log(Level.INFO, () -> "supplied");
        assertEquals(11, recording.records.size());
        for (int i = 0; i < recording.records.size(); i++) {
            assertInferred(i, "everyLevelMethodAndLogWithALevelIsInferred");
        }
    }

    @Test
    void logrbIsLeftToJul() {
        logger.logrb(Level.INFO, new Bundle(), "key", 1);
        logger.logrb(Level.INFO, new Bundle(), "key", new IllegalStateException("x"));
        assertEquals(HERE, recording.julSources.get(0)[0]);
        assertLeftToJul(0);
        assertLeftToJul(1);
    }

    @Test
    void anExplicitSourceIsKept() {
        logger.logp(Level.INFO, "Given", "given", "explicit");
        logger.logrb(Level.INFO, "Given", "bundled", new Bundle(), "key");
        logger.entering("Given", "entered");
        assertSource(0, "Given", "given");
        assertSource(1, "Given", "bundled");
        assertSource(2, "Given", "entered");
    }

    @Test
    void aRecordLoggedWholeIsLeftToJul() {
        LogRecord withSource = new LogRecord(Level.INFO, "built");
        withSource.setSourceClassName("Built");
        withSource.setSourceMethodName("here");
        logger.log(withSource);
        logger.log(new LogRecord(Level.INFO, "built without a source"));
        assertSource(0, "Built", "here");
        assertLeftToJul(1);
    }

    @Test
    void aLoggerSubclassIsTheCallerAsForJul() {
        Logger wrapping = new WrappingLogger("stogger.core.CallerInferenceTest.wrapping." + System.nanoTime());
        wrapping.setUseParentHandlers(false);
        wrapping.addHandler(recording);
        wrapping.info("through an override");
        assertEquals(WrappingLogger.class.getName(), recording.julSources.get(0)[0]);
        assertSource(0, WrappingLogger.class.getName(), "info");
    }

    @Test
    void aSystemLoggerImplementationIsLeftToJul() {
        System.Logger bridge = new BridgeToJul(logger);
        bridge.log(System.Logger.Level.INFO, "through System.Logger");
        assertEquals(HERE, recording.julSources.get(0)[0]);
        assertLeftToJul(0);
    }

    @Test
    void aCallThroughMethodHandleMachineryIsLeftToJul() throws Throwable {
        MethodHandle info = MethodHandles.publicLookup().findVirtual(Logger.class, "info",
                MethodType.methodType(void.class, String.class));
        info.invokeWithArguments(logger, "by handle");
        assertEquals(HERE, recording.julSources.get(0)[0]);
        assertLeftToJul(0);
    }

    @Test
    void aHandlerNotCalledByALoggerIsLeftAlone() {
        recording.publish(new LogRecord(Level.INFO, "direct"));
        assertLeftToJul(0);
    }

    @Test
    void aParentLoggersHandlerInfersTheSameCaller() {
        Logger child = Logger.getLogger(logger.getName() + ".child");
        child.setLevel(Level.ALL);
        child.info("from the child");
        assertInferred("aParentLoggersHandlerInfersTheSameCaller");
    }

    @Test
    void nullIsIgnored() {
        CallerInference.inferSource(null);
        logger.info("still works");
        assertInferred("nullIsIgnored");
    }

    private void assertInferred(String method) {
        assertInferred(0, method);
    }

    private void assertInferred(int index, String method) {
        assertEquals(List.of(HERE, method), List.of(recording.julSources.get(index)));
        assertSource(index, HERE, method);
    }

    private void assertSource(int index, String className, String method) {
        LogRecord record = recording.records.get(index);
        assertEquals(className, record.getSourceClassName());
        assertEquals(method, record.getSourceMethodName());
    }

    private void assertLeftToJul(int index) {
        LogRecord record = recording.records.get(index);
        assertNull(record.getSourceClassName());
        assertNull(record.getSourceMethodName());
    }

    /**
     * Calls the inference first in {@code publish}, as a handler should, and beside it asks JUL
     * what it infers from the same place, with a fresh record.
     */
    private static final class Recording extends Handler {
        final List<LogRecord> records = new ArrayList<>();
        final List<String[]> julSources = new ArrayList<>();

        @Override
        public void publish(LogRecord record) {
            CallerInference.inferSource(record);
            LogRecord reference = new LogRecord(Level.INFO, "reference");
            julSources.add(new String[] {reference.getSourceClassName(), reference.getSourceMethodName()});
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final class WrappingLogger extends Logger {
        WrappingLogger(String name) {
            super(name, null);
        }

        @Override
        public void info(String message) {
            super.info(message);
        }
    }

    private static final class BridgeToJul implements System.Logger {
        private final Logger target;

        BridgeToJul(Logger target) {
            this.target = target;
        }

        @Override
        public String getName() {
            return target.getName();
        }

        @Override
        public boolean isLoggable(System.Logger.Level level) {
            return true;
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String message, Throwable thrown) {
            target.log(java.util.logging.Level.INFO, message, thrown);
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
            target.log(java.util.logging.Level.INFO, format, params);
        }
    }

    private static final class Bundle extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {{"key", "value {0}"}};
        }
    }
}
