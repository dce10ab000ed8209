package stogger.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ConsoleFormatterTest {

    private final ConsoleFormatter formatter = new ConsoleFormatter();

    @Test
    void oneLineWithLevelEventAndFields() {
        LogRecord record = new LogRecord(Level.INFO, "order-received");
        record.setLoggerName("shop");
        record.setParameters(new Object[] {Fields.of("order_id", 42, "note", "two words")});
        String line = formatter.format(record);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} info    order-received order_id=42 note=\"two words\"\\R"),
                line);
        assertFalse(line.contains("shop"), "the logger name is not shown");
    }

    @Test
    void exceptionStackTraceFollowsTheLine() {
        LogRecord record = new LogRecord(Level.SEVERE, "failed");
        record.setThrown(new IllegalStateException("nope"));
        String text = formatter.format(record);
        assertTrue(text.contains("error   failed"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: nope"), text);
        assertTrue(text.contains("\tat "), text);
    }

    @Test
    void scopeIsShown() {
        try (LogScope scope = LogScope.open("checkout")) {
            LogRecord record = new LogRecord(Level.INFO, "paid");
            assertTrue(formatter.format(record).contains(" scope=checkout"));
        }
    }
}
