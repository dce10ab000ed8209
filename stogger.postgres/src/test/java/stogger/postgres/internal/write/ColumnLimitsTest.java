package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;

/**
 * The cut of over-long indexed columns. Expected values follow from the rule: over 2000 bytes of
 * UTF-8, keep the longest code-point prefix of at most 1997 bytes and add the three-byte "…".
 */
class ColumnLimitsTest {

    private static final String E_ACUTE = "\u00E9"; // 2 bytes
    private static final String EURO = "\u20AC"; // 3 bytes
    private static final String EMOJI = "\uD83D\uDE00"; // 4 bytes, a surrogate pair
    private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
    private static final JsonObject DATA = Json.createObjectBuilder().add("thread_id", 1).add("k", "v").build();

    private static PostgresRow row(String level, String event, String func, String scope) {
        return new PostgresRow(AT, level, event, func, scope, DATA);
    }

    private static PostgresRow withEvent(String event) {
        return row("info", event, "a.B.m", "s");
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Encodes strictly: throws on a lone surrogate, so a split pair fails the test. */
    private static byte[] strictUtf8(String s) throws CharacterCodingException {
        ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        return out;
    }

    /** A cut value: at most 2000 valid bytes, the marker at the end, a prefix of the original before it. */
    private static void assertCutFrom(String original, String cut) throws CharacterCodingException {
        assertTrue(strictUtf8(cut).length <= ColumnLimits.MAX_BYTES, "bytes: " + bytes(cut));
        assertTrue(cut.endsWith("\u2026"), "ends with the marker");
        String prefix = cut.substring(0, cut.length() - 1);
        assertTrue(original.startsWith(prefix), "a prefix of the original");
        assertFalse(prefix.isEmpty() || Character.isHighSurrogate(prefix.charAt(prefix.length() - 1)),
                "ends at a code point boundary");
    }

    @Test
    void shortRowsAreReturnedAsTheyAre() {
        PostgresRow row = row("info", "payment-accepted", "a.B.m", "checkout");
        assertSame(row, ColumnLimits.fit(row));
        PostgresRow nulls = row("info", "", null, null);
        assertSame(nulls, ColumnLimits.fit(nulls));
    }

    @Test
    void exactly2000BytesStay() {
        for (String event : new String[] {"a".repeat(2000), E_ACUTE.repeat(1000), EMOJI.repeat(500),
                EURO.repeat(666) + "ab", EURO.repeat(333) + E_ACUTE.repeat(250) + EMOJI.repeat(125) + "y"}) {
            assertEquals(2000, bytes(event));
            PostgresRow row = row(event, event, event, event);
            assertSame(row, ColumnLimits.fit(row), event.length() + " chars");
        }
    }

    @Test
    void longInCharsButShortInBytesStays() {
        // 1999 ASCII chars are far over 666 chars yet within 2000 bytes; 666 euros are 1998 bytes.
        PostgresRow ascii = withEvent("b".repeat(1999));
        assertSame(ascii, ColumnLimits.fit(ascii));
        PostgresRow euros = withEvent(EURO.repeat(666));
        assertSame(euros, ColumnLimits.fit(euros));
    }

    @Test
    void oneByteOverIsCutWithTheOriginalInData() throws Exception {
        String event = "a".repeat(2001);
        PostgresRow fitted = ColumnLimits.fit(withEvent(event));
        assertEquals("a".repeat(1997) + "\u2026", fitted.event());
        assertEquals(2000, bytes(fitted.event()));
        assertEquals(event, fitted.data().getString("event_full"));
        assertCutFrom(event, fitted.event());
    }

    @Test
    void twoByteCharsAreNotSplit() throws Exception {
        String event = E_ACUTE.repeat(1001); // 2002 bytes
        PostgresRow fitted = ColumnLimits.fit(withEvent(event));
        // 998 of them are 1996 bytes, a 999th would make 1998 > 1997.
        assertEquals(E_ACUTE.repeat(998) + "\u2026", fitted.event());
        assertEquals(1999, bytes(fitted.event()));
        assertEquals(event, fitted.data().getString("event_full"));
    }

    @Test
    void threeByteCharsAreNotSplit() throws Exception {
        String event = EURO.repeat(667); // 2001 bytes
        PostgresRow fitted = ColumnLimits.fit(withEvent(event));
        // 665 of them are 1995 bytes, a 666th would make 1998 > 1997.
        assertEquals(EURO.repeat(665) + "\u2026", fitted.event());
        assertEquals(1998, bytes(fitted.event()));
        assertEquals(event, fitted.data().getString("event_full"));
    }

    @Test
    void aSurrogatePairAtTheCutIsKeptWholeOrLeftOut() throws Exception {
        // The pair would end at byte 2000 > 1997: it is left out whole.
        String across = "a".repeat(1996) + EMOJI + "b".repeat(10);
        PostgresRow fitted = ColumnLimits.fit(withEvent(across));
        assertEquals("a".repeat(1996) + "\u2026", fitted.event());
        assertCutFrom(across, fitted.event());
        assertEquals(across, fitted.data().getString("event_full"));

        // The pair ends exactly at byte 1997: it is kept, and the result is exactly 2000 bytes.
        String within = "a".repeat(1993) + EMOJI + "b".repeat(10);
        fitted = ColumnLimits.fit(withEvent(within));
        assertEquals("a".repeat(1993) + EMOJI + "\u2026", fitted.event());
        assertEquals(2000, bytes(fitted.event()));
        assertCutFrom(within, fitted.event());

        // Only pairs: 499 of them are 1996 bytes.
        String emojis = EMOJI.repeat(500) + "a";
        fitted = ColumnLimits.fit(withEvent(emojis));
        assertEquals(EMOJI.repeat(499) + "\u2026", fitted.event());
        assertCutFrom(emojis, fitted.event());
    }

    @Test
    void everyColumnIsCutIntoItsOwnKeyAndOtherKeysStay() throws Exception {
        String level = "L".repeat(3000);
        String event = "e" + EURO.repeat(1000);
        String func = "com.example." + "f".repeat(5000) + ".m";
        String scope = E_ACUTE.repeat(4000);
        PostgresRow original = row(level, event, func, scope);
        PostgresRow fitted = ColumnLimits.fit(original);
        assertEquals(AT, fitted.timestamp());
        assertCutFrom(level, fitted.level());
        assertCutFrom(event, fitted.event());
        assertCutFrom(func, fitted.func());
        assertCutFrom(scope, fitted.scope());
        JsonObject data = fitted.data();
        assertEquals(level, data.getString("level_full"));
        assertEquals(event, data.getString("event_full"));
        assertEquals(func, data.getString("func_full"));
        assertEquals(scope, data.getString("scope_full"));
        assertEquals(1, data.getInt("thread_id"));
        assertEquals("v", data.getString("k"));
        assertEquals(6, data.size());
        assertEquals(2, original.data().size(), "the original row's data is untouched");
    }

    @Test
    void onlyTheLongColumnGetsAKeyAndNullsStayNull() throws Exception {
        String event = "x".repeat(10_000);
        PostgresRow fitted = ColumnLimits.fit(row("info", event, null, null));
        assertEquals("info", fitted.level());
        assertNull(fitted.func());
        assertNull(fitted.scope());
        assertCutFrom(event, fitted.event());
        assertEquals(event, fitted.data().getString("event_full"));
        assertFalse(fitted.data().containsKey("level_full"));
        assertFalse(fitted.data().containsKey("func_full"));
        assertFalse(fitted.data().containsKey("scope_full"));
        assertEquals(3, fitted.data().size());

        String scope = "s".repeat(2001);
        fitted = ColumnLimits.fit(row("info", "short", "a.B.m", scope));
        assertEquals("short", fitted.event());
        assertEquals("a.B.m", fitted.func());
        assertCutFrom(scope, fitted.scope());
        assertEquals(scope, fitted.data().getString("scope_full"));
        assertFalse(fitted.data().containsKey("event_full"));
    }

    @Test
    void randomTextIsAlwaysCutToValidUtf8WithinTheBudget() throws Exception {
        Random random = new Random(11);
        String[] pieces = {"a", "Z", " ", E_ACUTE, "\u00DF", EURO, "\u4E2D", EMOJI, "\uD834\uDD1E"};
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int length = 600 + random.nextInt(2000);
            for (int i = 0; i < length; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String event = text.toString();
            assertEquals(bytes(event), ColumnLimits.utf8Length(event, Integer.MAX_VALUE));
            PostgresRow row = withEvent(event);
            PostgresRow fitted = ColumnLimits.fit(row);
            if (bytes(event) <= 2000) {
                assertSame(row, fitted);
            } else {
                assertCutFrom(event, fitted.event());
                // Longest such prefix: one more code point would not fit in 1997 bytes.
                String prefix = fitted.event().substring(0, fitted.event().length() - 1);
                int next = event.codePointAt(prefix.length());
                assertTrue(bytes(prefix) + bytes(new String(Character.toChars(next))) > 1997);
                assertEquals(event, fitted.data().getString("event_full"));
            }
        }
    }
}
