package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;
import stogger.core.PostgresRenderer;

/**
 * The {@code data} column's text is the text the JSON-P implementation itself writes for the same
 * value, and reads back as the same value: for every kind of JSON value, every character that
 * must be escaped, and rows the renderer made.
 */
class JsonTextTest {

    @Test
    void everyKindOfValueIsWrittenAsTheJsonImplementationWritesIt() {
        JsonObject value = Json.createObjectBuilder()
                .add("string", "plain")
                .add("long", Long.MIN_VALUE)
                .add("double", 9.99)
                .add("tiny", 1.0e-300)
                .add("decimal", new BigDecimal("12345678901234567890.000000000001"))
                .add("big", new BigInteger("123456789012345678901234567890"))
                .add("true", true)
                .add("false", false)
                .addNull("null")
                .add("empty object", Json.createObjectBuilder())
                .add("empty array", Json.createArrayBuilder())
                .add("nested", Json.createObjectBuilder().add("array", Json.createArrayBuilder().add(1).add("two")
                        .addNull().add(Json.createArrayBuilder().add(false))))
                .build();
        assertSameAsJsonP(value);
    }

    @Test
    void everyCharacterThatJsonMustEscapeIsEscapedInKeysAndValues() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("\u00e9\u4e2d\ud83d\ude00\u2028\u2029\u007f/");
        String text = all.toString();
        assertSameAsJsonP(Json.createObjectBuilder().add(text, text).add("k", Json.createArrayBuilder().add(text))
                .build());
    }

    @Test
    void randomStringsReadBackUnchanged() {
        Random random = new Random(42);
        for (int n = 0; n < 500; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                // Mostly the ASCII range, where the escapes are, and some of everything else.
                chars[i] = (char) (random.nextInt(4) == 0 ? random.nextInt(0xD800) : random.nextInt(0x80));
            }
            String s = new String(chars);
            assertSameAsJsonP(Json.createObjectBuilder().add(s, s).build());
        }
    }

    @Test
    void rowsTheRendererMakesGiveTheSameTextAsBefore() {
        PostgresRenderer renderer = new PostgresRenderer();
        LogRecord fields = new LogRecord(Level.INFO, "order-processed");
        fields.setLoggerName("orders");
        fields.setParameters(new Object[] {Fields.of("order_id", 42, "amount", 9.99, "customer", "c-\"42\"\n",
                "tags", java.util.List.of("a", 1, 2.5f), "nan", Double.NaN)});
        LogRecord pattern = new LogRecord(Level.WARNING, "order {0} paid by {1}");
        pattern.setParameters(new Object[] {42, "c-42", "unused"});
        LogRecord thrown = new LogRecord(Level.SEVERE, "failed");
        thrown.setThrown(new IllegalStateException("bad \"state\"\t", new RuntimeException("cause")));
        for (LogRecord record : new LogRecord[] {fields, pattern, thrown}) {
            assertSameAsJsonP(renderer.render(record).data());
            assertSameAsJsonP(renderer.renderForAnotherThread(record).data());
        }
    }

    private static void assertSameAsJsonP(JsonValue value) {
        String text = JsonText.of(value);
        assertEquals(value.toString(), text);
        try (var reader = Json.createReader(new StringReader(text))) {
            assertEquals(value, reader.readValue());
        }
    }
}
