package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The string rules of the README: U+0000 and lone surrogates become U+FFFD, and a string longer
 * than the limit is cut with a marker that gives its original length. Checked through a renderer
 * with the smallest limit, on a field value.
 */
class TextSanitizerTest {

    private static final int LIMIT = PostgresRenderer.MIN_MAX_STRING_LENGTH;
    private final PostgresRenderer renderer = new PostgresRenderer(LIMIT);

    private String stored(String value) {
        LogRecord record = new LogRecord(Level.INFO, "e");
        record.setParameters(new Object[] {Fields.of("s", value)});
        return renderer.render(record).data().getString("s");
    }

    private static int commonPrefixLength(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    private static void assertNoLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)),
                        "lone high surrogate at " + i + " in " + s);
                i++;
            } else {
                assertFalse(Character.isLowSurrogate(c), "lone low surrogate at " + i + " in " + s);
            }
        }
    }

    @Test
    void aStringOfExactlyTheLimitStaysWhole() {
        String value = "x".repeat(LIMIT);
        assertEquals(value, stored(value));
    }

    @Test
    void oneCharMoreIsCutToTheLimitWithTheOriginalLength() {
        String value = "x".repeat(LIMIT) + "y";
        String stored = stored(value);
        assertEquals(LIMIT, commonPrefixLength(value, stored), stored);
        assertTrue(stored.contains("original length " + (LIMIT + 1)), stored);
    }

    @Test
    void aStringOfExactlyTheLimitThatNeedsAReplacementIsNotMarkedAsCut() {
        String value = "\u0000" + "x".repeat(LIMIT - 1);
        assertEquals("\uFFFD" + "x".repeat(LIMIT - 1), stored(value));
    }

    @Test
    void aSurrogatePairAcrossTheCutIsDroppedWholeNotSplit() {
        String value = "a".repeat(LIMIT - 1) + "\uD83D\uDE00" + "bbb";
        String stored = stored(value);
        assertNoLoneSurrogate(stored);
        assertEquals(LIMIT - 1, commonPrefixLength(value, stored), "nothing past the limit is kept: " + stored);
        assertTrue(stored.contains("original length " + value.length()), stored);
    }

    @Test
    void aSurrogatePairEndingExactlyAtTheCutIsKept() {
        String value = "a".repeat(LIMIT - 2) + "\uD83D\uDE00" + "bbb";
        String stored = stored(value);
        assertNoLoneSurrogate(stored);
        assertEquals(LIMIT, commonPrefixLength(value, stored), stored);
    }

    @Test
    void loneSurrogatesAtEitherEndAreReplaced() {
        assertEquals("abc\uFFFD", stored("abc\uD800"));
        assertEquals("\uFFFDabc", stored("\uD800abc"));
        assertEquals("\uFFFDabc", stored("\uDC00abc"));
        assertEquals("\uD83D\uDE00\uFFFD", stored("\uD83D\uDE00\u0000"));
    }

    @Test
    void aLoneSurrogateInACutStringIsReplacedToo() {
        String value = "\uDC00" + "z".repeat(LIMIT * 2);
        String stored = stored(value);
        assertTrue(stored.startsWith("\uFFFD" + "z".repeat(LIMIT - 1)), stored);
        assertNoLoneSurrogate(stored);
        assertTrue(stored.contains("original length " + value.length()), stored);
    }
}
