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
}
