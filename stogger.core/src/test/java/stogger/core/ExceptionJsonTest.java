package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The {@code exception} object of {@code data}: type, message, stack trace and the chain of causes. */
class ExceptionJsonTest {

    /** ExceptionJson keeps this many causes of one exception, the nearest first. */
    private static final int MAX_CAUSES = 16;

    private final PostgresRenderer renderer = new PostgresRenderer();

    private JsonObject exceptionOf(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "failed");
        record.setThrown(thrown);
        return renderer.render(record).data().getJsonObject("exception");
    }

    private static Throwable chain(int causes) {
        Throwable cause = new IOException("cause " + causes);
        for (int i = causes - 1; i >= 1; i--) {
            cause = new IllegalStateException("cause " + i, cause);
        }
        return new RuntimeException("top", cause);
    }

    private static void assertCausesInOrder(JsonArray causes, int expected) {
        assertEquals(expected, causes.size(), causes.toString());
        for (int i = 0; i < expected; i++) {
            assertEquals("cause " + (i + 1), causes.getJsonObject(i).getString("message"));
        }
    }

    @Test
    void everyCauseOfAShortChainIsListedNearestFirst() {
        JsonArray causes = exceptionOf(chain(3)).getJsonArray("causes");
        assertCausesInOrder(causes, 3);
        assertEquals(IllegalStateException.class.getName(), causes.getJsonObject(0).getString("type"));
        assertEquals(IOException.class.getName(), causes.getJsonObject(2).getString("type"));
    }

    @Test
    void aChainOfExactlyTheCapIsListedWhole() {
        assertCausesInOrder(exceptionOf(chain(MAX_CAUSES)).getJsonArray("causes"), MAX_CAUSES);
    }

    @Test
    void aLongerChainIsCappedToTheNearestCauses() {
        JsonObject exception = exceptionOf(chain(MAX_CAUSES + 25));
        assertCausesInOrder(exception.getJsonArray("causes"), MAX_CAUSES);
        assertEquals("top", exception.getString("message"));
    }

    @Test
    void aCyclicChainListsEachCauseOnce() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);
        JsonArray causes = exceptionOf(a).getJsonArray("causes");
        assertEquals(1, causes.size(), causes.toString());
        assertEquals("b", causes.getJsonObject(0).getString("message"));
        assertTrue(exceptionOf(a).getString("stack_trace").contains("CIRCULAR REFERENCE"));
    }

    @Test
    void anExceptionWithoutCauseHasAnEmptyCauseList() {
        JsonObject exception = exceptionOf(new IllegalStateException((String) null));
        assertTrue(exception.getJsonArray("causes").isEmpty());
        assertEquals(jakarta.json.JsonValue.NULL, exception.get("message"));
    }
}
