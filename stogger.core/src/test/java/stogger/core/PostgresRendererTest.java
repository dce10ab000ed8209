package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class PostgresRendererTest {

    private final PostgresRenderer renderer = new PostgresRenderer();

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("com.example.Orders");
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }

    @Test
    void standardLevelsUseTheNamesOfThePythonEdition() {
        assertEquals("error", renderer.render(record(Level.SEVERE, "e")).level());
        assertEquals("warning", renderer.render(record(Level.WARNING, "e")).level());
        assertEquals("info", renderer.render(record(Level.INFO, "e")).level());
        assertEquals("debug", renderer.render(record(Level.FINE, "e")).level());
    }

    @Test
    void otherLevelsKeepTheirOwnLowercaseName() {
        assertEquals("config", renderer.render(record(Level.CONFIG, "e")).level());
        assertEquals("finer", renderer.render(record(Level.FINER, "e")).level());
        assertEquals("finest", renderer.render(record(Level.FINEST, "e")).level());
        assertEquals("notice", renderer.render(record(new CustomLevel("NOTICE", 850), "e")).level());
        // A custom level that shares SEVERE's value is still not "error".
        assertEquals("fatal", renderer.render(record(new CustomLevel("FATAL", 1000), "e")).level());
    }

    @Test
    void timestampIsTheRecordsInstant() {
        LogRecord record = record(Level.INFO, "e");
        Instant instant = Instant.parse("2024-02-29T12:34:56.123456Z");
        record.setInstant(instant);
        assertEquals(instant, renderer.render(record).timestamp());
    }

    @Test
    void eventIsTheRawPatternAndTheFormattedMessageGoesToData() {
        PostgresRow row = renderer.render(record(Level.INFO, "order {0} shipped", 42));
        assertEquals("order {0} shipped", row.event());
        assertEquals("order 42 shipped", row.data().getString("message"));
        assertFalse(row.data().containsKey("args"), "a used parameter is not a leftover");
    }

    @Test
    void messageIsLeftOutWhenItEqualsTheEvent() {
        PostgresRow row = renderer.render(record(Level.INFO, "order-received"));
        assertEquals("order-received", row.event());
        assertFalse(row.data().containsKey("message"));
    }

    @Test
    void nullMessageGivesAnEmptyEvent() {
        PostgresRow row = renderer.render(record(Level.INFO, null));
        assertEquals("", row.event());
    }

    @Test
    void bundleKeyIsTheEventAndTheLocalisedTextTheMessage() {
        LogRecord record = record(Level.INFO, "order.shipped", 7);
        record.setResourceBundle(new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"order.shipped", "Order {0} has shipped"}};
            }
        });
        PostgresRow row = renderer.render(record);
        assertEquals("order.shipped", row.event());
        assertEquals("Order 7 has shipped", row.data().getString("message"));
    }

    @Test
    void unusedParametersAreKeptAsArgs() {
        PostgresRow row = renderer.render(record(Level.INFO, "user {0} logged in", "ada", 3, true));
        assertEquals("[3,true]", row.data().getJsonArray("args").toString());
        assertEquals("user ada logged in", row.data().getString("message"));
    }

    @Test
    void funcIsSourceClassAndMethod() {
        LogRecord record = record(Level.INFO, "e");
        record.setSourceClassName("com.example.Orders");
        record.setSourceMethodName("create");
        assertEquals("com.example.Orders.create", renderer.render(record).func());
    }

    @Test
    void funcIsNullWhenTheSourceIsUnknown() {
        LogRecord record = record(Level.INFO, "e");
        record.setSourceClassName(null);
        record.setSourceMethodName(null);
        assertNull(renderer.render(record).func());
    }

    @Test
    void funcAndScopeFieldsWinAndStayOutOfData() {
        LogRecord record = record(Level.INFO, "e", Fields.of("func", "billing.charge", "scope", "nightly"));
        record.setSourceClassName("com.example.Orders");
        record.setSourceMethodName("create");
        try (LogScope ignored = LogScope.open("checkout")) {
            PostgresRow row = renderer.render(record);
            assertEquals("billing.charge", row.func());
            assertEquals("nightly", row.scope());
            assertFalse(row.data().containsKey("func"));
            assertFalse(row.data().containsKey("scope"));
        }
    }

    @Test
    void scopeIsTheInnermostOpenScopeAndScopeFieldsAreBound() {
        try (LogScope outer = LogScope.open("checkout", "order_id", 42)) {
            try (LogScope inner = LogScope.open("payment", "provider", "acme")) {
                PostgresRow row = renderer.render(record(Level.INFO, "charged"));
                assertEquals("payment", row.scope());
                assertEquals(42, row.data().getInt("order_id"));
                assertEquals("acme", row.data().getString("provider"));
            }
            assertEquals("checkout", renderer.render(record(Level.INFO, "e")).scope());
        }
        assertNull(renderer.render(record(Level.INFO, "e")).scope());
    }

    @Test
    void scopeOfAnotherThreadIsNotUsedForARecordLoggedElsewhere() {
        LogRecord record = record(Level.INFO, "e");
        record.setLongThreadID(Thread.currentThread().getId() + 1000);
        try (LogScope ignored = LogScope.open("checkout")) {
            PostgresRow row = renderer.render(record);
            assertNull(row.scope());
            assertFalse(row.data().containsKey("thread"));
        }
    }

    @Test
    void dataCarriesLoggerThreadAndStructuredFieldsAsJsonTypes() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("sku", "A-1");
        nested.put("qty", 2);
        PostgresRow row = renderer.render(record(Level.INFO, "order-received",
                Fields.of("order_id", 42, "amount", 9.99, "paid", true, "items", List.of(nested), "note", null)));
        JsonObject data = row.data();
        assertEquals("com.example.Orders", data.getString("logger"));
        assertEquals(Thread.currentThread().getName(), data.getString("thread"));
        assertEquals(Thread.currentThread().getId(), data.getJsonNumber("thread_id").longValue());
        assertEquals(JsonValue.ValueType.NUMBER, data.get("order_id").getValueType());
        assertEquals(new BigDecimal("9.99"), ((JsonNumber) data.get("amount")).bigDecimalValue());
        assertEquals(JsonValue.TRUE, data.get("paid"));
        assertEquals("A-1", data.getJsonArray("items").getJsonObject(0).getString("sku"));
        assertEquals(2, data.getJsonArray("items").getJsonObject(0).getInt("qty"));
        assertEquals(JsonValue.NULL, data.get("note"));
        assertFalse(data.containsKey("args"), "Fields are not leftover args");
    }

    @Test
    void exceptionHasTypeMessageStackTraceAndCauses() {
        LogRecord record = record(Level.SEVERE, "payment-failed");
        record.setThrown(new IllegalStateException("card declined", new java.io.IOException("timeout")));
        JsonObject exception = renderer.render(record).data().getJsonObject("exception");
        assertEquals("java.lang.IllegalStateException", exception.getString("type"));
        assertEquals("card declined", exception.getString("message"));
        assertTrue(exception.getString("stack_trace").contains("PostgresRendererTest"));
        assertTrue(exception.getString("stack_trace").contains("Caused by: java.io.IOException: timeout"));
        assertEquals("java.io.IOException", exception.getJsonArray("causes").getJsonObject(0).getString("type"));
        assertEquals("timeout", exception.getJsonArray("causes").getJsonObject(0).getString("message"));
    }

    // Hostile values: each yields a row.

    @Test
    void nulCharactersAreReplacedEverywhere() {
        LogRecord record = record(Level.INFO, "ev\u0000ent", Fields.of("k\u0000ey", "va\u0000lue"));
        PostgresRow row = renderer.render(record);
        assertEquals("ev\uFFFDent", row.event());
        assertEquals("va\uFFFDlue", row.data().getString("k\uFFFDey"));
        assertFalse(row.data().toString().contains("\u0000"));
        assertFalse(row.data().toString().contains("\\u0000"));
    }

    @Test
    void throwingToStringBecomesAPlaceholderNamingTheException() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException("no text for you");
            }
        };
        PostgresRow row = renderer.render(record(Level.INFO, "e {0}", hostile, Fields.of("obj", hostile)));
        String field = row.data().getString("obj");
        assertTrue(field.contains("UnsupportedOperationException"), field);
        assertTrue(field.contains("no text for you"), field);
        String message = row.data().getString("message");
        assertTrue(message.startsWith("e "), message);
        assertTrue(message.contains("UnsupportedOperationException"), "the placeholder is formatted in: " + message);
    }

    @Test
    void aThrowingToStringInTheMessageSparesTheOtherParameters() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        String message = renderer.render(record(Level.INFO, "{0} then {1}", hostile, "fine")).data().getString("message");
        assertTrue(message.endsWith(" then fine"), message);
        assertTrue(message.contains("IllegalStateException"), message);
    }

    @Test
    void nanAndInfinitiesBecomeStrings() {
        JsonObject data = renderer.render(record(Level.INFO, "e",
                Fields.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "ninf", Float.NEGATIVE_INFINITY)))
                .data();
        assertEquals("NaN", data.getString("nan"));
        assertEquals("Infinity", data.getString("inf"));
        assertEquals("-Infinity", data.getString("ninf"));
    }

    @Test
    void cyclesAreCutWithAMarker() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add("first");
        cyclic.add(cyclic);
        Map<String, Object> selfMap = new HashMap<>();
        selfMap.put("me", selfMap);
        JsonObject data = renderer.render(record(Level.INFO, "e", Fields.of("list", cyclic, "map", selfMap))).data();
        assertEquals("first", data.getJsonArray("list").getString(0));
        assertEquals(JsonConverter.CYCLE_MARKER, data.getJsonArray("list").getString(1));
        assertEquals(JsonConverter.CYCLE_MARKER, data.getJsonObject("map").getString("me"));
    }

    @Test
    void deepNestingIsCutWithAMarker() {
        List<Object> deep = new ArrayList<>();
        List<Object> current = deep;
        for (int i = 0; i < 10_000; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        String json = renderer.render(record(Level.INFO, "e", Fields.of("deep", deep))).data().toString();
        assertTrue(json.contains(JsonConverter.DEPTH_MARKER));
    }

    @Test
    void loneSurrogatesAreReplacedAndPairsKept() {
        String text = "a\uD800b\uDC00c\uD83D\uDE00";
        assertEquals("a\uFFFDb\uFFFDc\uD83D\uDE00",
                renderer.render(record(Level.INFO, "e", Fields.of("s", text))).data().getString("s"));
    }

    @Test
    void longStringsAreTruncatedWithTheOriginalLength() {
        PostgresRenderer small = new PostgresRenderer(100);
        String value = "x".repeat(1000);
        String stored = small.render(record(Level.INFO, "e", Fields.of("s", value))).data().getString("s");
        assertTrue(stored.startsWith("x".repeat(100)));
        assertFalse(stored.startsWith("x".repeat(101)));
        assertTrue(stored.contains("original length 1000"), stored);
    }

    @Test
    void defaultLimitIs64KiB() {
        String value = "y".repeat(PostgresRenderer.DEFAULT_MAX_STRING_LENGTH + 1);
        String stored = renderer.render(record(Level.INFO, "e", Fields.of("s", value))).data().getString("s");
        assertTrue(stored.contains("original length " + (PostgresRenderer.DEFAULT_MAX_STRING_LENGTH + 1)));
    }

    @Test
    void aOneMebibyteMessageYieldsARow() {
        String huge = "m".repeat(1024 * 1024);
        PostgresRow row = renderer.render(record(Level.INFO, huge));
        assertTrue(row.event().length() < PostgresRenderer.DEFAULT_MAX_STRING_LENGTH + 100);
        assertTrue(row.event().contains("original length " + huge.length()));
    }

    @Test
    void nullParametersYieldARow() {
        LogRecord record = record(Level.INFO, "value {0} and {1}");
        record.setParameters(new Object[] {null, null});
        PostgresRow row = renderer.render(record);
        assertEquals("value null and null", row.data().getString("message"));
        LogRecord nullArray = record(Level.INFO, "e");
        nullArray.setParameters(null);
        assertEquals("e", renderer.render(nullArray).event());
    }

    @Test
    void aMalformedPatternStillYieldsARow() {
        PostgresRow row = renderer.render(record(Level.INFO, "broken {0", 1));
        assertEquals("broken {0", row.event());
        assertFalse(row.data().containsKey("render_error"), row.data().toString());
        assertFalse(row.data().containsKey("message"), "an unformattable pattern is not a different message");
        assertEquals("[1]", row.data().getJsonArray("args").toString(), "so the parameter is a leftover");
    }

    // Message formatting follows java.util.logging.Formatter.formatMessage, which serves as the
    // oracle below wherever its rule and the renderer's agree.

    private static String formattedByJul(LogRecord record) {
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }

    @Test
    void aPlaceholderAtTheStartOfThePatternIsFormatted() {
        LogRecord record = record(Level.INFO, "{0} orders shipped", 42);
        PostgresRow row = renderer.render(record);
        assertEquals(formattedByJul(record), row.data().getString("message"));
        assertFalse(row.data().containsKey("args"));
    }

    @Test
    void quotedBracesAreLiteralTextAndTheRealPlaceholderIsFormatted() {
        LogRecord record = record(Level.INFO, "'{'id'}' is {0}", 7);
        PostgresRow row = renderer.render(record);
        assertEquals(formattedByJul(record), row.data().getString("message"));
        assertEquals("'{'id'}' is {0}", row.event());
    }

    @Test
    void aPatternWithoutPlaceholderIsNotRunThroughMessageFormat() {
        // MessageFormat would drop the apostrophe; java.util.logging leaves such a message alone.
        LogRecord record = record(Level.INFO, "can't connect", "db-1");
        PostgresRow row = renderer.render(record);
        assertEquals("can't connect", formattedByJul(record));
        assertFalse(row.data().containsKey("message"), row.data().toString());
        assertEquals("[\"db-1\"]", row.data().getJsonArray("args").toString());
    }

    @Test
    void aBraceAtTheVeryEndIsNoPlaceholder() {
        PostgresRow row = renderer.render(record(Level.INFO, "progress 100% {", 7));
        assertEquals("progress 100% {", row.event());
        assertFalse(row.data().containsKey("render_error"), row.data().toString());
        assertFalse(row.data().containsKey("message"));
        assertEquals("[7]", row.data().getJsonArray("args").toString());
    }

    @Test
    void aKeyMissingFromTheBundleIsTheEventAndNoSeparateMessage() {
        LogRecord record = record(Level.INFO, "order.cancelled");
        record.setResourceBundle(new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"order.shipped", "Order has shipped"}};
            }
        });
        PostgresRow row = renderer.render(record);
        assertEquals("order.cancelled", row.event());
        assertEquals("order.cancelled", formattedByJul(record));
        assertFalse(row.data().containsKey("message"), row.data().toString());
    }

    @Test
    void aNullMessageStillGivesTheFullData() {
        PostgresRow row = renderer.render(record(Level.INFO, null, Fields.of("k", 1)));
        assertEquals("", row.event());
        assertEquals("com.example.Orders", row.data().getString("logger"));
        assertEquals(1, row.data().getInt("k"));
        assertFalse(row.data().containsKey("render_error"));
        assertFalse(row.data().containsKey("message"));
    }

    @Test
    void aRecordThatThrowsWhileBeingReadStillYieldsARowThatSaysWhy() {
        Instant instant = Instant.parse("2024-05-06T07:08:09Z");
        for (String message : new String[] {"disk-low", null}) {
            LogRecord record = new LogRecord(Level.WARNING, message) {
                private static final long serialVersionUID = 1L;

                @Override
                public String getLoggerName() {
                    throw new IllegalStateException("logger name unavailable");
                }
            };
            record.setInstant(instant);
            PostgresRow row = renderer.render(record);
            assertEquals(instant, row.timestamp());
            assertEquals("warning", row.level());
            assertEquals(message == null ? "" : message, row.event());
            String error = row.data().getString("render_error");
            assertTrue(error.contains(IllegalStateException.class.getName()), error);
            assertTrue(error.contains("logger name unavailable"), error);
        }
    }

    @Test
    void aRecordWithoutLevelIsInfo() {
        LogRecord record = new LogRecord(Level.SEVERE, "e") {
            private static final long serialVersionUID = 1L;

            @Override
            public Level getLevel() {
                return null;
            }
        };
        PostgresRow row = renderer.render(record);
        assertEquals("info", row.level());
        assertFalse(row.data().containsKey("render_error"));
    }

    @Test
    void aNullRecordYieldsARow() {
        assertNotNull(renderer.render(null));
    }

    @Test
    void exceptionWhoseMessageThrowsStillYieldsARow() {
        LogRecord record = record(Level.SEVERE, "e");
        record.setThrown(new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("boom");
            }
        });
        JsonObject exception = renderer.render(record).data().getJsonObject("exception");
        assertTrue(exception.getString("message").contains("getMessage() threw"));
        assertFalse(exception.getString("stack_trace").isEmpty());
    }

    @Test
    void hugeNumbersThatPostgresCannotStoreBecomeStrings() {
        BigDecimal tooBig = new BigDecimal("1e200000");
        JsonObject data = renderer.render(record(Level.INFO, "e", Fields.of("n", tooBig, "ok", new BigDecimal("1e10"))))
                .data();
        assertEquals(JsonValue.ValueType.STRING, data.get("n").getValueType());
        assertEquals(JsonValue.ValueType.NUMBER, data.get("ok").getValueType());
    }

    @Test
    void theSmallestLimitIsAcceptedAndReported() {
        assertEquals(PostgresRenderer.MIN_MAX_STRING_LENGTH,
                new PostgresRenderer(PostgresRenderer.MIN_MAX_STRING_LENGTH).maxStringLength());
        assertEquals(1000, new PostgresRenderer(1000).maxStringLength());
        assertEquals(PostgresRenderer.DEFAULT_MAX_STRING_LENGTH, renderer.maxStringLength());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PostgresRenderer(PostgresRenderer.MIN_MAX_STRING_LENGTH - 1));
    }

    @Test
    void limitBelowTheMinimumIsRejected() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PostgresRenderer(10));
        assertTrue(e.getMessage().contains("maxStringLength"));
        assertTrue(e.getMessage().contains("10"));
    }

    private static final class CustomLevel extends Level {
        private static final long serialVersionUID = 1L;

        CustomLevel(String name, int value) {
            super(name, value);
        }
    }
}
