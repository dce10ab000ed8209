package stogger.core;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Converts arbitrary Java values to JSON without ever throwing: the total conversion behind
 * {@link PostgresRenderer}.
 *
 * <p>Strings go through the {@link TextSanitizer}; NaN and infinities become strings; maps,
 * collections, arrays and {@link Fields} become objects and arrays, cut with a marker when they
 * nest deeper than {@link #MAX_DEPTH}, hold more than {@link #MAX_ELEMENTS} elements or contain
 * themselves; everything else becomes its {@code toString()}, or a placeholder naming the
 * exception when {@code toString()} throws.
 */
final class JsonConverter {

    /** Deepest nesting kept; deeper values become {@value #DEPTH_MARKER}. */
    static final int MAX_DEPTH = 32;
    /** Most elements kept from one collection, array or map. */
    static final int MAX_ELEMENTS = 10_000;
    static final String DEPTH_MARKER = "[max depth reached]";
    static final String CYCLE_MARKER = "[cycle]";
    // PostgreSQL's numeric (which jsonb uses for numbers) holds at most 131072 digits before the
    // point and 16383 after it; larger values are kept as strings so the row still inserts.
    private static final int MAX_NUMERIC_INTEGER_DIGITS = 131_072;
    private static final int MAX_NUMERIC_SCALE = 16_383;

    static final JsonProvider PROVIDER = JsonProvider.provider();
    static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Collections.emptyMap());

    private final TextSanitizer text;

    JsonConverter(TextSanitizer text) {
        this.text = text;
    }

    JsonValue convert(Object value) {
        return convert(value, 0, null);
    }

    JsonString string(String value) {
        return PROVIDER.createValue(text.clean(value == null ? "null" : value));
    }

    private JsonValue convert(Object value, int depth, Set<Object> path) {
        try {
            if (value == null) {
                return JsonValue.NULL;
            }
            if (value instanceof String s) {
                return string(s);
            }
            if (value instanceof Boolean b) {
                return b ? JsonValue.TRUE : JsonValue.FALSE;
            }
            if (value instanceof Number n) {
                return number(n);
            }
            if (value instanceof Character || value instanceof CharSequence || value instanceof Enum<?>) {
                return string(value.toString());
            }
            if (value instanceof JsonValue json) {
                return cleanJson(json, depth, path);
            }
            if (value instanceof Optional<?> optional) {
                return convert(optional.orElse(null), depth, path);
            }
            boolean container = value instanceof Map<?, ?> || value instanceof Iterable<?>
                    || value instanceof Fields || value.getClass().isArray();
            if (!container) {
                return string(safeToString(value));
            }
            if (depth >= MAX_DEPTH) {
                return string(DEPTH_MARKER);
            }
            Set<Object> onPath = path != null ? path : Collections.newSetFromMap(new IdentityHashMap<>());
            if (!onPath.add(value)) {
                return string(CYCLE_MARKER);
            }
            try {
                return containerValue(value, depth + 1, onPath);
            } finally {
                onPath.remove(value);
            }
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return string("[" + value.getClass().getName() + " could not be rendered: "
                    + e.getClass().getName() + ": " + safeMessage(e) + "]");
        }
    }

    private JsonValue containerValue(Object value, int depth, Set<Object> path) {
        if (value instanceof Fields fields) {
            return object(fields.asMap(), depth, path);
        }
        if (value instanceof Map<?, ?> map) {
            return object(map, depth, path);
        }
        JsonArrayBuilder array = BUILDERS.createArrayBuilder();
        if (value instanceof Iterable<?> iterable) {
            Iterator<?> it = iterable.iterator();
            int count = 0;
            while (it.hasNext()) {
                if (count++ == MAX_ELEMENTS) {
                    array.add(string("[more elements not shown]"));
                    break;
                }
                array.add(convert(it.next(), depth, path));
            }
            return array.build();
        }
        int length = Array.getLength(value);
        for (int i = 0; i < Math.min(length, MAX_ELEMENTS); i++) {
            array.add(convert(Array.get(value, i), depth, path));
        }
        if (length > MAX_ELEMENTS) {
            array.add(string("[" + (length - MAX_ELEMENTS) + " more elements not shown]"));
        }
        return array.build();
    }

    private JsonObject object(Map<?, ?> map, int depth, Set<Object> path) {
        JsonObjectBuilder object = BUILDERS.createObjectBuilder();
        int count = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (count++ == MAX_ELEMENTS) {
                object.add("[more entries not shown]", map.size() - MAX_ELEMENTS);
                break;
            }
            object.add(key(entry.getKey()), convert(entry.getValue(), depth, path));
        }
        return object.build();
    }

    String key(Object key) {
        return text.clean(key instanceof String s ? s : safeToString(key));
    }

    private JsonValue number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof AtomicInteger || n instanceof AtomicLong) {
            return PROVIDER.createValue(n.longValue());
        }
        if (n instanceof Float f) {
            // Widening to double would store 0.1f as 0.10000000149011612; keep the decimal it prints as.
            return Float.isFinite(f) ? PROVIDER.createValue(new BigDecimal(Float.toString(f)))
                    : PROVIDER.createValue(Float.toString(f));
        }
        if (n instanceof Double) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? PROVIDER.createValue(d) : PROVIDER.createValue(Double.toString(d));
        }
        if (n instanceof BigInteger big) {
            return big.bitLength() < 400_000 ? PROVIDER.createValue(big) : string(big.toString());
        }
        if (n instanceof BigDecimal big) {
            boolean fits = big.precision() - big.scale() <= MAX_NUMERIC_INTEGER_DIGITS
                    && big.scale() <= MAX_NUMERIC_SCALE;
            return fits ? PROVIDER.createValue(big) : string(big.toString());
        }
        return string(safeToString(n));
    }

    private JsonValue cleanJson(JsonValue json, int depth, Set<Object> path) {
        switch (json.getValueType()) {
            case STRING:
                return string(((JsonString) json).getString());
            case NUMBER:
                return number(((JsonNumber) json).bigDecimalValue());
            case OBJECT:
            case ARRAY:
                if (depth >= MAX_DEPTH) {
                    return string(DEPTH_MARKER);
                }
                if (json instanceof JsonObject object) {
                    JsonObjectBuilder builder = BUILDERS.createObjectBuilder();
                    object.forEach((k, v) -> builder.add(text.clean(k), cleanJson(v, depth + 1, path)));
                    return builder.build();
                }
                JsonArrayBuilder builder = BUILDERS.createArrayBuilder();
                ((JsonArray) json).forEach(v -> builder.add(cleanJson(v, depth + 1, path)));
                return builder.build();
            default:
                return json;
        }
    }

    /**
     * {@code String.valueOf(value)}, except that a {@code toString()} that throws or returns
     * null yields a placeholder instead of an exception.
     */
    static String safeToString(Object value) {
        if (value == null) {
            return "null";
        }
        try {
            String s = value.toString();
            return s != null ? s : "null";
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return placeholder(value, e);
        }
    }

    static String placeholder(Object value, Throwable problem) {
        String type = value == null ? "null" : value.getClass().getName();
        return "[" + type + ".toString() threw " + problem.getClass().getName() + ": "
                + safeMessage(problem) + "]";
    }

    static String safeMessage(Throwable t) {
        try {
            return String.valueOf(t.getMessage());
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return "[message unavailable: " + e.getClass().getName() + "]";
        }
    }
}
