package stogger.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Structured key-value fields for a plain java.util.logging call.
 *
 * <p>Pass an instance as a record parameter and each field becomes a top-level key of the row's
 * {@code data} column:
 * <pre>{@code
 * logger.log(Level.INFO, "order-received", Fields.of("order_id", 42, "amount", 9.99));
 * }</pre>
 * Numbers stay JSON numbers, booleans booleans, maps and collections become JSON objects and
 * arrays; anything else is stored as its {@code toString()}. Two keys are special: {@code func}
 * and {@code scope} fill the columns of the same name instead of {@code data}.
 *
 * <p>Instances are immutable and keep the order in which keys were given; a later duplicate key
 * replaces the earlier value. Building fields never throws: a {@code null} key becomes
 * {@code "null"}, a non-string key its {@code String.valueOf}, and a trailing key without a
 * value maps to {@code null}, so a mistake in a logging call still yields its row.
 */
public final class Fields {

    private static final Fields EMPTY = new Fields(Collections.emptyMap());

    private final Map<String, Object> values;

    private Fields(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Fields from alternating keys and values: {@code Fields.of("k1", v1, "k2", v2)}.
     *
     * @param keysAndValues keys at even positions, their values at odd positions
     * @return the fields; never null
     */
    public static Fields of(Object... keysAndValues) {
        if (keysAndValues == null || keysAndValues.length == 0) {
            return EMPTY;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = i + 1 < keysAndValues.length ? keysAndValues[i + 1] : null;
            map.put(keyOf(keysAndValues[i]), value);
        }
        return new Fields(Collections.unmodifiableMap(map));
    }

    /**
     * Fields copied from a map, in its iteration order.
     *
     * @param map the fields; null gives no fields
     * @return the fields; never null
     */
    public static Fields from(Map<?, ?> map) {
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(keyOf(key), value));
        return new Fields(Collections.unmodifiableMap(copy));
    }

    /**
     * No fields.
     *
     * @return the empty instance
     */
    public static Fields empty() {
        return EMPTY;
    }

    /**
     * These fields plus one more (replacing a field of the same key).
     *
     * @param key the key
     * @param value the value, may be null
     * @return a new instance; this one is unchanged
     */
    public Fields and(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(keyOf(key), value);
        return new Fields(Collections.unmodifiableMap(copy));
    }

    /**
     * The fields as an unmodifiable map in insertion order; values may be null.
     *
     * @return the map view
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * The value of one field.
     *
     * @param key the key
     * @return the value, or null when absent or null
     */
    public Object get(String key) {
        return values.get(key);
    }

    /**
     * Whether no field is set.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static String keyOf(Object key) {
        if (key instanceof String s) {
            return s;
        }
        return JsonConverter.safeToString(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fields that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    /**
     * The fields as {@code key=value} pairs separated by spaces; never throws.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(key).append('=').append(JsonConverter.safeToString(value));
        });
        return text.toString();
    }
}
