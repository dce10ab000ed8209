package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogScopeTest {

    private final Logger logger = Logger.getLogger(LogScope.LOGGER_NAME);
    private final List<PostgresRow> rows = new CopyOnWriteArrayList<>();
    private final PostgresRenderer renderer = new PostgresRenderer();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            rows.add(renderer.render(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void attach() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    @Test
    void closeLogsScopeEndAtFineWithDurationInsideTheScope() {
        try (LogScope scope = LogScope.open("checkout", "order_id", 7)) {
            assertEquals(Optional.of("checkout"), LogScope.current());
        }
        assertEquals(Optional.empty(), LogScope.current());
        assertEquals(1, rows.size());
        PostgresRow end = rows.get(0);
        assertEquals("scope-end", end.event());
        assertEquals("debug", end.level());
        assertEquals("checkout", end.scope());
        assertEquals(7, end.data().getInt("order_id"));
        assertTrue(end.data().getJsonNumber("duration_ms").doubleValue() >= 0);
        assertTrue(end.func().startsWith(LogScopeTest.class.getName() + "."), end.func());
    }

    @Test
    void nestedScopesStackAndUnwind() {
        try (LogScope outer = LogScope.open("outer")) {
            try (LogScope inner = LogScope.open("inner")) {
                assertEquals(Optional.of("inner"), LogScope.current());
            }
            assertEquals(Optional.of("outer"), LogScope.current());
        }
        assertEquals(List.of("inner", "outer"), rows.stream().map(PostgresRow::scope).toList());
    }

    @Test
    void runLogsScopeFailedWithTheExceptionAndRethrows() {
        IOException failure = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> LogScope.run("export", () -> {
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(1, rows.size(), "scope-failed replaces scope-end");
        PostgresRow failed = rows.get(0);
        assertEquals("scope-failed", failed.event());
        assertEquals("warning", failed.level());
        assertEquals("export", failed.scope());
        assertEquals("java.io.IOException", failed.data().getString("error_type"));
        assertEquals("disk full", failed.data().getString("error_message"));
        assertEquals("java.io.IOException", failed.data().getJsonObject("exception").getString("type"));
        assertEquals(Optional.empty(), LogScope.current());
    }

    @Test
    void callReturnsTheBodysValueAndLogsScopeEnd() {
        int value = LogScope.call("compute", () -> 41 + 1);
        assertEquals(42, value);
        assertEquals("scope-end", rows.get(0).event());
    }

    @Test
    void closingTwiceLogsOnce() {
        LogScope scope = LogScope.open("twice");
        scope.close();
        scope.close();
        assertEquals(1, rows.size());
    }

    @Test
    void scopesAreBoundToTheirThread() throws InterruptedException {
        try (LogScope scope = LogScope.open("main-only")) {
            Optional<?>[] seen = new Optional<?>[1];
            Thread other = new Thread(() -> seen[0] = LogScope.current());
            other.start();
            other.join();
            assertEquals(Optional.empty(), seen[0]);
        }
    }

    @Test
    void durationIsANumberOfMillisecondsBetweenOpenAndClose() throws InterruptedException {
        long outerStart = System.nanoTime();
        long innerStart;
        long innerEnd;
        try (LogScope scope = LogScope.open("timed")) {
            innerStart = System.nanoTime();
            Thread.sleep(5); // only so that the duration is clearly above zero
            innerEnd = System.nanoTime();
        }
        long outerEnd = System.nanoTime();
        double durationMs = rows.get(0).data().getJsonNumber("duration_ms").doubleValue();
        // The scope's own clock starts after outerStart and stops before outerEnd, and it spans
        // innerStart..innerEnd; allow for rounding to the microsecond.
        double slackMs = 0.001;
        assertTrue(durationMs >= (innerEnd - innerStart) / 1e6 - slackMs,
                durationMs + " ms, at least " + (innerEnd - innerStart) / 1e6 + " ms expected");
        assertTrue(durationMs <= (outerEnd - outerStart) / 1e6 + slackMs,
                durationMs + " ms, at most " + (outerEnd - outerStart) / 1e6 + " ms expected");
    }

    @Test
    void scopeFailedCarriesTheDurationToo() throws InterruptedException {
        long outerStart = System.nanoTime();
        long[] inner = new long[2];
        assertThrows(IllegalStateException.class, () -> LogScope.run("failing", () -> {
            inner[0] = System.nanoTime();
            Thread.sleep(5);
            inner[1] = System.nanoTime();
            throw new IllegalStateException("nope");
        }));
        long outerEnd = System.nanoTime();
        PostgresRow failed = rows.get(0);
        assertEquals("scope-failed", failed.event());
        double durationMs = failed.data().getJsonNumber("duration_ms").doubleValue();
        assertTrue(durationMs >= (inner[1] - inner[0]) / 1e6 - 0.001, durationMs + " ms");
        assertTrue(durationMs <= (outerEnd - outerStart) / 1e6 + 0.001, durationMs + " ms");
    }

    @Test
    void failureWhoseMessageThrowsIsStillLoggedAndNamesWhatWentWrong() {
        RuntimeException odd = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("no message today");
            }
        };
        LogScope scope = LogScope.open("odd");
        scope.fail(odd);
        scope.close();
        assertEquals(1, rows.size(), "fail() replaces scope-end");
        PostgresRow failed = rows.get(0);
        assertEquals("scope-failed", failed.event());
        assertEquals(odd.getClass().getName(), failed.data().getString("error_type"));
        String message = failed.data().getString("error_message");
        assertTrue(message.contains(UnsupportedOperationException.class.getName()), message);
        assertEquals(Optional.empty(), LogScope.current());
    }
}
