package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.LogScope;

/**
 * Issue 11: a value too long for a btree index still yields a row, cut to at most 2000 bytes in
 * its column and whole in {@code data} under {@code <column>_full}.
 */
class LongValuesTest {

    private static final String[] WORDS = {"caf\u00E9", "\u20AC", "\u4E2D\u6587", "\uD83D\uDE00", "na\u00EFve", "x"};

    private final HandlerFixture fixture = new HandlerFixture();
    private final TestDatabase db = fixture.db;
    private final String table = fixture.table;

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    /**
     * About {@code bytes} bytes of text that does not compress: random UUIDs and some multi-byte
     * words (repetitive text would be compressed below the index limit and pass anyway).
     */
    private static String varied(int bytes) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
            text.append(UUID.randomUUID()).append(' ').append(WORDS[i++ % WORDS.length]).append(' ');
        }
        return text.toString();
    }

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(db.dsn()).table(table);
    }

    private void assertCut(String column, String original, String where) throws Exception {
        int bytes = Integer.parseInt(db.value("SELECT octet_length(" + column + ") FROM " + table + " WHERE " + where));
        assertTrue(bytes <= 2000, column + " is " + bytes + " bytes");
        String stored = db.value("SELECT " + column + " FROM " + table + " WHERE " + where);
        assertTrue(original.startsWith(stored.substring(0, stored.length() - 1)), column + " is a prefix");
        assertEquals(original, db.value("SELECT data->>'" + column + "_full' FROM " + table + " WHERE " + where));
    }

    /** About 3 KB, as in the issue (just over the 2704-byte limit), and 10 KB (over a whole page). */
    @ParameterizedTest
    @ValueSource(ints = {3_072, 10_240})
    void aLongEventYieldsARowInSyncMode(int bytes) throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        String event = varied(bytes);
        fixture.logger.info(event);
        assertEquals(1, db.count(table));
        assertCut("event", event, "true");
        assertEquals(new HandlerStats(1, 0, 0, 0), handler.stats());
    }

    @Test
    void aLongEventYieldsARowInAsyncMode() throws Exception {
        PostgresHandler handler = fixture.attach(settings().mode("async"));
        String event = varied(10_240);
        fixture.logger.info(event);
        fixture.logger.info("short");
        handler.flush();
        assertEquals(2, db.count(table));
        assertCut("event", event, "event <> 'short'");
        assertEquals("1", db.value("SELECT count(*) FROM " + table + " WHERE data ? 'event_full'"));
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }

    /** A handler whose table exists, with an operator's own btree index on a column the seed leaves unindexed. */
    private PostgresHandler attachWithIndexOn(String column) throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        fixture.logger.info("table-created");
        db.execute("CREATE INDEX ON " + table + " (" + column + ")");
        return handler;
    }

    @Test
    void aLongScopeYieldsARow() throws Exception {
        PostgresHandler handler = attachWithIndexOn("scope");
        String scope = varied(5_000);
        try (LogScope open = LogScope.open(scope)) {
            assertEquals(scope, open.name());
            fixture.logger.info("in-long-scope");
        }
        assertCut("scope", scope, "event = 'in-long-scope'");
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }

    @Test
    void aLongSourceClassAndMethodYieldARow() throws Exception {
        PostgresHandler handler = attachWithIndexOn("func");
        String className = "com.example." + varied(4_000).replace(' ', '.');
        String methodName = "m" + varied(4_000).replace(' ', '_');
        LogRecord record = new LogRecord(Level.INFO, "long-source");
        record.setSourceClassName(className);
        record.setSourceMethodName(methodName);
        fixture.logger.log(record);
        assertCut("func", className + "." + methodName, "event = 'long-source'");
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }

    @Test
    void aLongLevelNameYieldsARow() throws Exception {
        // level has a btree index in the seed schema.
        PostgresHandler handler = fixture.attach(settings());
        String levelName = varied(3_000).toLowerCase(Locale.ROOT);
        fixture.logger.log(new LongLevel(levelName), "long-level");
        assertCut("level", levelName, "event = 'long-level'");
        assertEquals(new HandlerStats(1, 0, 0, 0), handler.stats());
    }

    /** A custom level whose name is stored, lowercased, in {@code level}. */
    private static final class LongLevel extends Level {
        LongLevel(String name) {
            super(name, 850);
        }
    }
}
