package stogger.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which values cannot change after a log call returns, so that a record holding only such values
 * may be turned into JSON later, on another thread: null, strings, the JDK's boxed numbers and
 * {@code BigInteger}/{@code BigDecimal}, booleans, characters, enums, UUIDs and {@code java.time}
 * values. {@link Fields} are looked into; anything else (collections, arrays, the application's
 * own objects) is not immutable for this purpose.
 */
final class ImmutableValues {

    private static final Set<Class<?>> FINAL_VALUE_CLASSES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class);

    private ImmutableValues() {
    }

    /** Whether every parameter, and every value of every {@link Fields} among them, is immutable. */
    static boolean all(Object[] parameters) {
        if (parameters == null) {
            return true;
        }
        for (Object parameter : parameters) {
            if (parameter instanceof Fields fields ? !allValues(fields) : !immutable(parameter)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every field of every scope is immutable. */
    static boolean allInScopes(List<LogScope> scopes) {
        for (LogScope scope : scopes) {
            if (!allValues(scope.fields())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allValues(Fields fields) {
        for (Object value : fields.asMap().values()) {
            if (!immutable(value)) {
                return false;
            }
        }
        return true;
    }

    static boolean immutable(Object value) {
        if (value == null || value instanceof Enum<?>) {
            return true;
        }
        Class<?> type = value.getClass();
        // java.time's value classes are final and immutable; its only other public types are interfaces.
        return FINAL_VALUE_CLASSES.contains(type) || "java.time".equals(type.getPackageName());
    }
}
