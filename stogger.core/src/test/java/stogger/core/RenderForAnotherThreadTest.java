package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A row rendered for another thread is the row {@code render} gives, its data built by whichever
 * thread reads it first; what only the logging thread has is taken at the call, and a record
 * whose values could still change is rendered whole at once.
 */
class RenderForAnotherThreadTest {

    private final PostgresRenderer renderer = new PostgresRenderer();

    private static LogRecord record(String message, Object... parameters) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("com.example.Orders");
        record.setInstant(Instant.parse("2026-12-01T10:00:00Z"));
        record.setSourceClassName("com.example.Orders");
        record.setSourceMethodName("pay");
        record.setParameters(parameters);
        return record;
    }

    @Test
    void immutableValuesGiveADeferredRowEqualToTheEagerOneEvenWhenReadOnAnotherThread() throws Exception {
        try (LogScope outer = LogScope.open("checkout", "cart", 7L);
                LogScope inner = LogScope.open("payment", "provider", "acme")) {
            LogRecord record = record("order {0} paid {1}", 42, new BigDecimal("9.99"), Fields.of("customer", "c-42",
                    "id", UUID.fromString("00000000-0000-0000-0000-000000000001"), "at", Instant.EPOCH, "level",
                    Level.INFO.getName(), "mode", Thread.State.RUNNABLE));
            PostgresRow eager = renderer.render(record);
            PostgresRow deferred = renderer.renderForAnotherThread(record);
            assertInstanceOf(DeferredObject.class, deferred.data());
            // Read on a thread that has no scope and another name: the logging thread's were taken at the call.
            String dataOnOtherThread = CompletableFuture.supplyAsync(() -> deferred.data().toString()).get();
            assertEquals(eager.data().toString(), dataOnOtherThread);
            assertEquals(eager, deferred);
            assertEquals(Thread.currentThread().getName(), deferred.data().getString("thread"));
            assertEquals("payment", deferred.scope());
            assertEquals("acme", deferred.data().getString("provider"));
            assertEquals(7, deferred.data().getInt("cart"));
            assertEquals("com.example.Orders.pay", deferred.func());
        }
    }

    @Test
    void aMutableParameterIsRenderedAtTheCallSoALaterChangeDoesNotShow() {
        List<String> items = new ArrayList<>(List.of("a"));
        PostgresRow row = renderer.renderForAnotherThread(record("cart", Fields.of("items", items)));
        items.add("b");
        assertFalse(row.data() instanceof DeferredObject);
        assertEquals(1, row.data().getJsonArray("items").size());
    }

    @Test
    void aMutablePatternParameterOrScopeFieldIsRenderedAtTheCall() {
        StringBuilder text = new StringBuilder("before");
        PostgresRow row = renderer.renderForAnotherThread(record("said {0}", text));
        text.append("-after");
        assertEquals("said before", row.data().getString("message"));
        StringBuilder scoped = new StringBuilder("x");
        try (LogScope scope = LogScope.open("s", "note", scoped)) {
            PostgresRow inScope = renderer.renderForAnotherThread(record("e"));
            scoped.append("y");
            assertEquals("x", inScope.data().getString("note"));
        }
    }

    @Test
    void aRecordWithAnExceptionIsRenderedAtTheCall() {
        LogRecord record = record("failed");
        record.setThrown(new IllegalStateException("boom"));
        PostgresRow row = renderer.renderForAnotherThread(record);
        assertFalse(row.data() instanceof DeferredObject);
        assertEquals("boom", row.data().getJsonObject("exception").getString("message"));
    }

    @Test
    void aNullRecordIsAnEmptyInfoRowAsWithRender() {
        PostgresRow row = renderer.renderForAnotherThread(null);
        assertEquals("info", row.level());
        assertEquals("", row.event());
    }

    @Test
    void deferredDataIsBuiltOnceWhateverReadsItAndBehavesAsTheBuiltObject() throws Exception {
        int[] builds = new int[1];
        jakarta.json.JsonObject built = JsonConverter.BUILDERS.createObjectBuilder().add("k", "v").add("n", 3)
                .add("b", true).add("f", false).addNull("z").add("o", JsonConverter.BUILDERS.createObjectBuilder().add("x", 1))
                .add("a", JsonConverter.BUILDERS.createArrayBuilder().add(1)).build();
        DeferredObject deferred = new DeferredObject(() -> {
            builds[0]++;
            return built;
        });
        List<CompletableFuture<String>> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(CompletableFuture.supplyAsync(deferred::toString));
        }
        for (CompletableFuture<String> reader : readers) {
            assertEquals(built.toString(), reader.get());
        }
        assertEquals(1, builds[0]);
        assertEquals(built, deferred);
        assertEquals(deferred, built);
        assertEquals(built.hashCode(), deferred.hashCode());
        assertEquals(7, deferred.size());
        assertTrue(deferred.containsKey("k"));
        assertFalse(deferred.containsKey("missing"));
        assertFalse(deferred.equals(JsonConverter.BUILDERS.createObjectBuilder().add("k", "other").build()));
        assertFalse(deferred.getBoolean("f"));
        assertTrue(deferred.getBoolean("missing", true));
        assertFalse(deferred.isNull("k"));
        assertEquals(built.get("k"), deferred.get("k"));
        assertEquals("v", deferred.getString("k"));
        assertEquals("d", deferred.getString("missing", "d"));
        assertEquals(3, deferred.getInt("n"));
        assertEquals(4, deferred.getInt("missing", 4));
        assertTrue(deferred.getBoolean("b"));
        assertFalse(deferred.getBoolean("missing", false));
        assertTrue(deferred.isNull("z"));
        assertEquals(1, deferred.getJsonObject("o").getInt("x"));
        assertEquals(1, deferred.getJsonArray("a").size());
        assertEquals(3, deferred.getJsonNumber("n").intValue());
        assertEquals("v", deferred.getJsonString("k").getString());
        assertEquals(jakarta.json.JsonValue.ValueType.OBJECT, deferred.getValueType());
        assertEquals(built.entrySet(), deferred.entrySet());
    }

    @Test
    void immutableMeansTheJdksValueClassesOnly() {
        assertTrue(ImmutableValues.immutable(null));
        assertTrue(ImmutableValues.immutable("s"));
        assertTrue(ImmutableValues.immutable(1));
        assertTrue(ImmutableValues.immutable(Instant.EPOCH));
        assertTrue(ImmutableValues.immutable(Thread.State.NEW));
        assertFalse(ImmutableValues.immutable(new java.util.concurrent.atomic.AtomicInteger()));
        assertFalse(ImmutableValues.immutable(new BigDecimal("1") { }));
        assertFalse(ImmutableValues.immutable(List.of("a")));
        assertFalse(ImmutableValues.immutable(new Object()));
        assertTrue(ImmutableValues.all(null));
        assertFalse(ImmutableValues.all(new Object[] {Fields.of("k", new int[] {1})}));
    }
}
