package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableNameTest {

    @Test
    void plainAndQualifiedNamesAreQuoted() {
        assertEquals("\"stogger_logs\"", TableName.parse("stogger_logs", "k").quoted());
        assertEquals("\"logs\".\"app_events\"", TableName.parse("logs.app_events", "k").quoted());
        assertEquals("\"idx_app_events_level\"", TableName.parse("logs.app_events", "k").quotedIndex("level"));
    }

    @Test
    void badNamesAreRejectedNamingKeyAndValue() {
        for (String bad : new String[] {"x; DROP TABLE y", "a.b.c", "", "1abc", "a\"b", "a-b", "x".repeat(64), "a."}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TableName.parse(bad, "stogger.postgres.PostgresHandler.table"), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("stogger.postgres.PostgresHandler.table"), e.getMessage());
        }
    }

    @Test
    void longIndexNamesStayDistinctWithinTheIdentifierLimit() {
        TableName name = TableName.parse("t".repeat(63), "k");
        String timestamp = name.quotedIndex("timestamp");
        String level = name.quotedIndex("level");
        assertTrue(timestamp.length() - 2 <= 63, timestamp);
        assertTrue(level.length() - 2 <= 63, level);
        assertTrue(!timestamp.equals(level));
    }
}
