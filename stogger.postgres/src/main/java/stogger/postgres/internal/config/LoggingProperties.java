package stogger.postgres.internal.config;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.Level;

/**
 * Reads a handler's keys ({@code <prefix>.<key>}) from the logging configuration: trims values,
 * parses them, and reports a bad value with its key, the value and the default used instead.
 * The one place where configuration text becomes typed values.
 */
public final class LoggingProperties {

    private final String prefix;
    private final Function<String, String> source;
    private final Consumer<String> problems;

    /**
     * @param prefix the handler's class name; keys are {@code prefix + "." + key}
     * @param source looks a full key up (LogManager's properties, system properties, ...)
     * @param problems receives one message per bad value
     */
    public LoggingProperties(String prefix, Function<String, String> source, Consumer<String> problems) {
        this.prefix = prefix;
        this.source = source;
        this.problems = problems;
    }

    /** The full name of a key. */
    public String key(String key) {
        return prefix + "." + key;
    }

    /** The trimmed value of a full key, or null when absent or blank. */
    public String raw(String fullKey) {
        String value = source.apply(fullKey);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The handler key's value, or the default. */
    public String string(String key, String defaultValue) {
        String value = raw(key(key));
        return value == null ? defaultValue : value;
    }

    /** A whole number within bounds; anything else is reported and yields the default. */
    public int integer(String key, int defaultValue, int min, int max, String unit) {
        String value = raw(key(key));
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.accept(key(key) + " = '" + value + "' is not a whole number of " + unit + " from " + min + " to "
                + max + "; using the default " + defaultValue);
        return defaultValue;
    }

    /** One of the allowed words (case-insensitive); anything else is reported. */
    public String choice(String key, String defaultValue, String... allowed) {
        String value = raw(key(key));
        if (value == null) {
            return defaultValue;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String candidate : allowed) {
            if (candidate.equals(lower)) {
                return candidate;
            }
        }
        problems.accept(key(key) + " = '" + value + "' is not one of " + String.join(", ", allowed)
                + "; using the default " + defaultValue);
        return defaultValue;
    }

    /** A level name or number; anything else is reported. */
    public Level level(String key, Level defaultValue) {
        String value = raw(key(key));
        if (value == null) {
            return defaultValue;
        }
        try {
            return Level.parse(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.accept(key(key) + " = '" + value + "' is not a level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER,"
                    + " FINEST, ALL, OFF or a number); using the default " + defaultValue.getName());
            return defaultValue;
        }
    }

    /** A filter class with a public no-argument constructor, or null; a bad one is reported. */
    public Filter filter(String key) {
        String value = raw(key(key));
        if (value == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(value, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : ClassLoader.getSystemClassLoader());
            return (Filter) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            problems.accept(key(key) + " = '" + value + "' cannot be used as a java.util.logging.Filter (" + e
                    + "); using no filter");
            return null;
        }
    }
}
