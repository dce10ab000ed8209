package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * How field values become JSON in the {@code data} column: the rules of the README's "What a
 * record becomes" and of {@link JsonConverter}'s contract, each checked through
 * {@link PostgresRenderer} as a logging call reaches it.
 */
class JsonConverterTest {

    private final PostgresRenderer renderer = new PostgresRenderer();

    /** The {@code data} object of a record that carries the given fields. */
    private JsonObject dataOf(Object... keysAndValues) {
        return dataOf(renderer, keysAndValues);
    }

    private static JsonObject dataOf(PostgresRenderer renderer, Object... keysAndValues) {
        LogRecord record = new LogRecord(Level.INFO, "e");
        record.setLoggerName("test");
        record.setParameters(new Object[] {Fields.of(keysAndValues)});
        JsonObject data = renderer.render(record).data();
        assertFalse(data.containsKey("render_error"), () -> "the record itself rendered: " + data);
        return data;
    }

    private JsonValue valueOf(Object value) {
        return dataOf("v", value).get("v");
    }

    private static List<Object> nestedLists(int levels, Object leaf) {
        List<Object> outer = new ArrayList<>();
        List<Object> current = outer;
        for (int i = 1; i < levels; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        current.add(leaf);
        return outer;
    }

    private static JsonArray nestedJsonArrays(int levels, String leaf) {
        JsonArray array = JsonConverter.BUILDERS.createArrayBuilder().add(leaf).build();
        for (int i = 1; i < levels; i++) {
            array = JsonConverter.BUILDERS.createArrayBuilder().add(array).build();
        }
        return array;
    }

    private static JsonObject nestedJsonObjects(int levels, String leaf) {
        JsonObject object = JsonConverter.BUILDERS.createObjectBuilder().add("k", leaf).build();
        for (int i = 1; i < levels; i++) {
            object = JsonConverter.BUILDERS.createObjectBuilder().add("k", object).build();
        }
        return object;
    }

    /** Follows key "k" through {@code levels} nested objects and returns what is found there. */
    private static JsonValue descendObjects(JsonValue value, int levels) {
        for (int i = 0; i < levels; i++) {
            value = assertInstanceOf(JsonObject.class, value, "level " + (i + 1) + " is still an object").get("k");
        }
        return value;
    }

    /** Follows element 0 through {@code levels} nested arrays and returns what is found there. */
    private static JsonValue descend(JsonValue value, int levels) {
        for (int i = 0; i < levels; i++) {
            value = assertInstanceOf(JsonArray.class, value, "level " + (i + 1) + " is still an array").get(0);
        }
        return value;
    }

    @Nested
    class TextLikeValues {

        @Test
        void enumsAreStoredAsTheirToString() {
            assertEquals(TimeUnit.SECONDS.toString(), ((JsonString) valueOf(TimeUnit.SECONDS)).getString());
            assertEquals(Mood.CALM.toString(), ((JsonString) valueOf(Mood.CALM)).getString());
        }

        @Test
        void charSequencesAndCharactersAreStringsAndAreSanitised() {
            assertEquals("built\uFFFDtext", ((JsonString) valueOf(new StringBuilder("built\u0000text"))).getString());
            assertEquals("x", ((JsonString) valueOf('x')).getString());
            assertEquals("\uFFFD", ((JsonString) valueOf('\u0000')).getString());
        }

        @Test
        void aThrowingToStringBecomesAPlaceholderNamingTheValuesTypeAndTheException() {
            String stored = ((JsonString) valueOf(new HostileToString())).getString();
            assertTrue(stored.contains(HostileToString.class.getName()), stored);
            assertTrue(stored.contains(UnsupportedOperationException.class.getName()), stored);
            assertTrue(stored.contains("no text"), stored);
        }
    }

    @Nested
    class OptionalValues {

        @Test
        void aPresentOptionalIsStoredAsItsValue() {
            JsonNumber number = assertInstanceOf(JsonNumber.class, valueOf(Optional.of(42)));
            assertEquals(42, number.intValueExact());
            assertEquals("a\uFFFDb", ((JsonString) valueOf(Optional.of("a\u0000b"))).getString());
            assertEquals(List.of(1, 2), assertInstanceOf(JsonArray.class, valueOf(Optional.of(List.of(1, 2))))
                    .getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).toList());
        }

        @Test
        void anEmptyOptionalIsNull() {
            assertEquals(JsonValue.NULL, valueOf(Optional.empty()));
        }
    }

    @Nested
    class JsonValues {

        @Test
        void aJsonObjectStaysAnObjectWithItsTypesAndItsStringsSanitised() {
            JsonObject given = JsonConverter.BUILDERS.createObjectBuilder()
                    .add("n", 7)
                    .add("flags", JsonConverter.BUILDERS.createArrayBuilder().add(true).add(false).addNull())
                    .add("nested", JsonConverter.BUILDERS.createObjectBuilder().add("s", "x\u0000y"))
                    .add("k\u0000ey", "v")
                    .build();
            JsonObject stored = assertInstanceOf(JsonObject.class, valueOf(given));
            assertEquals(7, stored.getInt("n"));
            assertEquals(List.of(JsonValue.TRUE, JsonValue.FALSE, JsonValue.NULL), stored.getJsonArray("flags"));
            assertEquals("x\uFFFDy", stored.getJsonObject("nested").getString("s"));
            assertEquals("v", stored.getString("k\uFFFDey"));
        }

        @Test
        void aJsonArrayStaysAnArray() {
            JsonArray given = JsonConverter.BUILDERS.createArrayBuilder().add(1).add("two\u0000").add(
                    JsonConverter.BUILDERS.createArrayBuilder().add(3)).build();
            JsonArray stored = assertInstanceOf(JsonArray.class, valueOf(given));
            assertEquals(3, stored.size());
            assertEquals(1, stored.getInt(0));
            assertEquals("two\uFFFD", stored.getString(1));
            assertEquals(3, stored.getJsonArray(2).getInt(0));
        }

        @Test
        void jsonScalarsKeepTheirType() {
            assertEquals(JsonValue.TRUE, valueOf(JsonValue.TRUE));
            assertEquals(JsonValue.FALSE, valueOf(JsonValue.FALSE));
            assertEquals(JsonValue.NULL, valueOf(JsonValue.NULL));
            assertEquals("s\uFFFD", ((JsonString) valueOf(JsonConverter.PROVIDER.createValue("s\u0000"))).getString());
            JsonNumber number = assertInstanceOf(JsonNumber.class,
                    valueOf(JsonConverter.PROVIDER.createValue(new BigDecimal("12.5"))));
            assertEquals(0, new BigDecimal("12.5").compareTo(number.bigDecimalValue()));
        }

        @Test
        void aJsonNumberThatPostgresCannotStoreBecomesAString() {
            BigDecimal tooBig = new BigDecimal("1e200000");
            JsonString stored = assertInstanceOf(JsonString.class, valueOf(JsonConverter.PROVIDER.createValue(tooBig)));
            assertEquals(tooBig.toString(), stored.getString());
        }

        @Test
        void jsonNestedUpToTheDepthLimitIsKeptAndOneLevelMoreIsCut() {
            int limit = JsonConverter.MAX_DEPTH;
            assertEquals("leaf", ((JsonString) descend(valueOf(nestedJsonArrays(limit, "leaf")), limit)).getString());
            JsonValue cut = descend(valueOf(nestedJsonArrays(limit + 1, "leaf")), limit);
            assertEquals(JsonConverter.DEPTH_MARKER, ((JsonString) cut).getString());
        }

        @Test
        void jsonObjectsNestedUpToTheDepthLimitAreKeptAndOneLevelMoreIsCut() {
            int limit = JsonConverter.MAX_DEPTH;
            JsonValue kept = descendObjects(valueOf(nestedJsonObjects(limit, "leaf")), limit);
            assertEquals("leaf", ((JsonString) kept).getString());
            JsonValue cut = descendObjects(valueOf(nestedJsonObjects(limit + 1, "leaf")), limit);
            assertEquals(JsonConverter.DEPTH_MARKER, ((JsonString) cut).getString());
        }
    }

    @Nested
    class Containers {

        @Test
        void fieldsNestedAsAValueBecomeAnObject() {
            JsonObject inner = assertInstanceOf(JsonObject.class, valueOf(Fields.of("a", 1, "b", "two")));
            assertEquals(1, inner.getInt("a"));
            assertEquals("two", inner.getString("b"));
        }

        @Test
        void mapKeysThatAreNotStringsBecomeTheirStringValue() {
            Map<Object, Object> map = new HashMap<>();
            map.put(1, "one");
            map.put(TimeUnit.DAYS, "days");
            map.put(null, "nothing");
            JsonObject stored = assertInstanceOf(JsonObject.class, valueOf(map));
            assertEquals("one", stored.getString("1"));
            assertEquals("days", stored.getString(TimeUnit.DAYS.toString()));
            assertEquals("nothing", stored.getString("null"));
        }

        @Test
        void arraysBecomeJsonArraysOfTheirElements() {
            JsonArray ints = assertInstanceOf(JsonArray.class, valueOf(new int[] {3, 1, 2}));
            assertEquals(List.of(3, 1, 2), ints.getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).toList());
            JsonArray strings = assertInstanceOf(JsonArray.class, valueOf(new String[] {"a", null, "c\u0000"}));
            assertEquals("a", strings.getString(0));
            assertEquals(JsonValue.NULL, strings.get(1));
            assertEquals("c\uFFFD", strings.getString(2));
        }

        @Test
        void aCollectionOfExactlyTheLimitIsKeptWhole() {
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < JsonConverter.MAX_ELEMENTS; i++) {
                list.add(i);
            }
            JsonArray stored = assertInstanceOf(JsonArray.class, valueOf(list));
            assertEquals(JsonConverter.MAX_ELEMENTS, stored.size());
            assertEquals(JsonConverter.MAX_ELEMENTS - 1, stored.getInt(JsonConverter.MAX_ELEMENTS - 1));
        }

        @Test
        void aLongerCollectionKeepsTheFirstElementsAndEndsWithACutMarker() {
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < JsonConverter.MAX_ELEMENTS + 5; i++) {
                list.add(i);
            }
            JsonArray stored = assertInstanceOf(JsonArray.class, valueOf(list));
            assertEquals(JsonConverter.MAX_ELEMENTS + 1, stored.size(), "the kept elements and one marker");
            for (int i = 0; i < JsonConverter.MAX_ELEMENTS; i++) {
                assertEquals(i, stored.getInt(i));
            }
            assertInstanceOf(JsonString.class, stored.get(JsonConverter.MAX_ELEMENTS), "the marker is text");
        }

        @Test
        void anArrayOfExactlyTheLimitIsKeptWhole() {
            JsonArray stored = assertInstanceOf(JsonArray.class, valueOf(new long[JsonConverter.MAX_ELEMENTS]));
            assertEquals(JsonConverter.MAX_ELEMENTS, stored.size());
            assertTrue(stored.stream().allMatch(v -> v instanceof JsonNumber n && n.longValue() == 0));
        }

        @Test
        void aLongerArrayIsCutWithAMarkerThatCountsTheElementsLeftOut() {
            int left = 7;
            long[] values = new long[JsonConverter.MAX_ELEMENTS + left];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            JsonArray stored = assertInstanceOf(JsonArray.class, valueOf(values));
            assertEquals(JsonConverter.MAX_ELEMENTS + 1, stored.size());
            assertEquals(JsonConverter.MAX_ELEMENTS - 1, stored.getJsonNumber(JsonConverter.MAX_ELEMENTS - 1).longValue());
            String marker = stored.getString(JsonConverter.MAX_ELEMENTS);
            assertTrue(marker.matches("\\D*" + left + "\\D.*"), marker);
        }

        @Test
        void aLargerMapKeepsTheFirstEntriesAndCountsTheEntriesLeftOut() {
            int left = 3;
            Map<String, Integer> map = new LinkedHashMap<>();
            for (int i = 0; i < JsonConverter.MAX_ELEMENTS + left; i++) {
                map.put("k" + i, i);
            }
            JsonObject stored = assertInstanceOf(JsonObject.class, valueOf(map));
            assertEquals(JsonConverter.MAX_ELEMENTS + 1, stored.size(), "the kept entries and one marker");
            for (int i = 0; i < JsonConverter.MAX_ELEMENTS; i++) {
                assertEquals(i, stored.getInt("k" + i));
            }
            List<String> markers = stored.keySet().stream().filter(k -> !map.containsKey(k)).toList();
            assertEquals(1, markers.size(), markers.toString());
            assertEquals(left, stored.getInt(markers.get(0)));
        }

        @Test
        void listsNestedUpToTheDepthLimitAreKeptAndOneLevelMoreIsCut() {
            int limit = JsonConverter.MAX_DEPTH;
            assertEquals("leaf", ((JsonString) descend(valueOf(nestedLists(limit, "leaf")), limit)).getString());
            JsonValue cut = descend(valueOf(nestedLists(limit + 1, "leaf")), limit);
            assertEquals(JsonConverter.DEPTH_MARKER, ((JsonString) cut).getString());
        }

        @Test
        void aContainerThatThrowsWhileBeingReadBecomesAPlaceholderAndTheOtherFieldsStay() {
            Iterable<String> broken = () -> {
                throw new IllegalStateException("iterator gone");
            };
            JsonObject data = dataOf("broken", broken, "ok", 1);
            String stored = data.getString("broken");
            assertTrue(stored.contains(IllegalStateException.class.getName()), stored);
            assertTrue(stored.contains("iterator gone"), stored);
            assertEquals(1, data.getInt("ok"));
        }
    }

    @Nested
    class Numbers {

        /** Long enough that a number kept as text is not also cut by the string limit. */
        private final PostgresRenderer roomy = new PostgresRenderer(200_000);

        private void assertStoredAsItsText(Object number, JsonValue stored) {
            String text = assertInstanceOf(JsonString.class, stored).getString();
            assertTrue(number.toString().equals(text), () -> "stored text differs; " + text.length() + " chars");
        }

        @Test
        void floatsAreTheNumberTheyPrintAs() {
            for (float f : new float[] {0.1f, 1.5f, -3.25e-7f, 1.0e10f}) {
                JsonNumber stored = assertInstanceOf(JsonNumber.class, valueOf(f), () -> "float " + f);
                assertEquals(0, new BigDecimal(Float.toString(f)).compareTo(stored.bigDecimalValue()),
                        () -> f + " stored as " + stored);
            }
        }

        @Test
        void integersOfEverySizeAreExactNumbers() {
            BigInteger big = BigInteger.TEN.pow(40).add(BigInteger.ONE);
            JsonObject data = dataOf("byte", (byte) -8, "short", (short) 300, "long", Long.MAX_VALUE, "big", big);
            assertEquals(-8, data.getInt("byte"));
            assertEquals(300, data.getInt("short"));
            assertEquals(Long.MAX_VALUE, data.getJsonNumber("long").longValueExact());
            assertEquals(big, data.getJsonNumber("big").bigIntegerValueExact());
        }

        @Test
        void aBigIntegerThatPostgresCannotStoreBecomesItsDecimalString() {
            // PostgreSQL's numeric holds at most 131072 digits before the point.
            BigInteger tooBig = BigInteger.TEN.pow(131_072);
            assertStoredAsItsText(tooBig, dataOf(roomy, "v", tooBig).get("v"));
        }

        @Test
        void bigDecimalsAtPostgresNumericLimitsStayNumbersAndBeyondThemBecomeStrings() {
            // PostgreSQL's numeric: up to 131072 digits before the decimal point, 16383 after it.
            BigDecimal widest = new BigDecimal(BigInteger.TEN.pow(131_071)); // 131072 digits
            BigDecimal tooWide = new BigDecimal(BigInteger.TEN.pow(131_072)); // 131073 digits
            BigDecimal finest = BigDecimal.ONE.movePointLeft(16_383);
            BigDecimal tooFine = BigDecimal.ONE.movePointLeft(16_384);
            JsonObject data = dataOf(roomy, "widest", widest, "tooWide", tooWide, "finest", finest, "tooFine", tooFine);
            assertTrue(widest.compareTo(data.getJsonNumber("widest").bigDecimalValue()) == 0, "widest kept exactly");
            assertTrue(finest.compareTo(data.getJsonNumber("finest").bigDecimalValue()) == 0, "finest kept exactly");
            assertStoredAsItsText(tooWide, data.get("tooWide"));
            assertStoredAsItsText(tooFine, data.get("tooFine"));
        }

        @Test
        void anotherKindOfNumberIsStoredAsItsToString() {
            LongAdder adder = new LongAdder();
            adder.add(5);
            assertEquals(adder.toString(), ((JsonString) valueOf(adder)).getString());
        }
    }

    private enum Mood {
        CALM {
            @Override
            public String toString() {
                return "calm, really";
            }
        }
    }

    private static final class HostileToString {
        @Override
        public String toString() {
            throw new UnsupportedOperationException("no text");
        }
    }
}
