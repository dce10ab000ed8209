package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsTest {

    @Test
    void keepsOrderAndValues() {
        Fields fields = Fields.of("b", 1, "a", "x");
        assertEquals(List.of("b", "a"), List.copyOf(fields.asMap().keySet()));
        assertEquals(1, fields.get("b"));
    }

    @Test
    void isImmutable() {
        Fields fields = Fields.of("a", 1);
        assertThrows(UnsupportedOperationException.class, () -> fields.asMap().put("b", 2));
        Fields more = fields.and("b", 2);
        assertEquals(1, fields.asMap().size());
        assertEquals(2, more.asMap().size());
    }

    @Test
    void sloppyCallsStillGiveFields() {
        Fields fields = Fields.of("a", 1, null, 2, 3, 4, "dangling");
        assertEquals(2, fields.get("null"));
        assertEquals(4, fields.get("3"));
        assertTrue(fields.asMap().containsKey("dangling"));
        assertNull(fields.get("dangling"));
        assertTrue(Fields.of().isEmpty());
        assertTrue(Fields.of((Object[]) null).isEmpty());
    }

    @Test
    void fromMapCopies() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        Fields fields = Fields.from(map);
        map.put("k", "changed");
        assertEquals("v", fields.get("k"));
        assertEquals("k=v", fields.toString());
    }

    @Test
    void fromNothingAndEmptyGiveNoFields() {
        assertTrue(Fields.from(null).isEmpty());
        assertTrue(Fields.from(Map.of()).isEmpty());
        assertTrue(Fields.empty().isEmpty());
        assertTrue(Fields.empty().asMap().isEmpty());
        assertEquals("", Fields.empty().toString());
    }

    @Test
    void fromMapTurnsKeysIntoStrings() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(7, "seven");
        map.put(null, "none");
        Fields fields = Fields.from(map);
        assertEquals("seven", fields.get("7"));
        assertEquals("none", fields.get("null"));
    }

    @Test
    void fieldsWithTheSameKeysAndValuesAreEqual() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", "x");
        Fields built = Fields.of("a", 1, "b", "x");
        Fields copied = Fields.from(map);
        assertEquals(built, copied);
        assertEquals(built.hashCode(), copied.hashCode());
        assertEquals(Fields.empty(), Fields.of());
    }

    @Test
    void fieldsThatDifferAreNotEqual() {
        Fields fields = Fields.of("a", 1);
        assertNotEquals(fields, Fields.of("a", 2));
        assertNotEquals(fields, Fields.of("a", 1, "b", 2));
        assertNotEquals(fields, Fields.empty());
        assertNotEquals(fields, fields.asMap(), "a map with the same entries is not Fields");
        assertNotEquals(fields, null);
    }
}
