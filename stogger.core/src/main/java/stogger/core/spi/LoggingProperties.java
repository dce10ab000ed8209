package stogger.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogManager;

/**
 * The one reader of stogger's keys in the java.util.logging configuration, for stogger's own keys
 * and for target modules alike: looks a key up (a system property of the same name wins over the
 * logging configuration), trims it, parses it, and reports a bad value with its key, the value
 * and the default used instead.
 *
 * <p>{@link LogManager} offers only {@link LogManager#getProperty(String)}; to find keys that
 * nobody reads (a mistyped {@code batchsize}), {@link #names()} also lists the keys of the
 * configuration file LogManager read ({@code java.util.logging.config.file}, else the JDK's
 * {@code conf/logging.properties}) and the system properties.
 *
 * <p>Instances are cheap, not shared and not thread-safe; problems go to the consumer given at
 * construction, one message per problem.
 */
public final class LoggingProperties {

    private final Function<String, String> lookup;
    private final Supplier<? extends Collection<String>> names;
    private final Consumer<String> problems;

    /**
     * A reader over any source, for tests and for callers that combine sources themselves.
     *
     * @param lookup the value of a full key, or null
     * @param names the keys the source holds, for {@link #unknownKeys}
     * @param problems receives one message per bad value
     */
    public LoggingProperties(Function<String, String> lookup, Supplier<? extends Collection<String>> names,
            Consumer<String> problems) {
        this.lookup = lookup;
        this.names = names;
        this.problems = problems;
    }

    /**
     * The reader of the running JVM: system properties first, then {@link LogManager}.
     *
     * @param problems receives one message per bad value
     * @return the reader
     */
    public static LoggingProperties ofLogManager(Consumer<String> problems) {
        LogManager manager = LogManager.getLogManager();
        return new LoggingProperties(layered(manager::getProperty, System::getProperty),
                LoggingProperties::configuredNames, problems);
    }

    /**
     * A lookup in which the second source (system properties, by convention) wins over the first.
     *
     * @param configuration the logging configuration
     * @param overrides the source that wins when it has the key
     * @return the combined lookup
     */
    public static Function<String, String> layered(Function<String, String> configuration,
            Function<String, String> overrides) {
        return key -> {
            String value = overrides.apply(key);
            return value != null ? value : configuration.apply(key);
        };
    }

    /** The trimmed value of a full key, or null when absent or blank. */
    public String raw(String key) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The trimmed value, or the default when absent or blank. */
    public String string(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    /** A whole number from min to max; anything else is reported and yields the default. */
    public int integer(String key, int defaultValue, int min, int max, String unit) {
        String value = raw(key);
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
        problems.accept(key + " = '" + value + "' is not a whole number of " + unit + " from " + min + " to " + max
                + "; using the default " + defaultValue);
        return defaultValue;
    }

    /** One of the allowed words, in any case; anything else is reported and yields the default. */
    public String choice(String key, String defaultValue, List<String> allowed) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (allowed.contains(lower)) {
            return lower;
        }
        problems.accept(key + " = '" + value + "' is not one of " + String.join(", ", allowed)
                + "; using the default " + defaultValue);
        return defaultValue;
    }

    /**
     * A boolean as configuration files write it: {@code true/false}, {@code yes/no},
     * {@code on/off}, {@code 1/0}, in any case; anything else is reported and yields the default.
     */
    public boolean bool(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                problems.accept(key + " = '" + value + "' is not a boolean (true or false); using the default "
                        + defaultValue);
                return defaultValue;
        }
    }

    /** A level name or number; anything else is reported and yields the default. */
    public Level level(String key, Level defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Level.parse(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.accept(key + " = '" + value + "' is not a level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER,"
                    + " FINEST, ALL, OFF or a number); using the default " + defaultValue.getName());
            return defaultValue;
        }
    }

    /** A filter class with a public no-argument constructor, or null; a bad one is reported. */
    public Filter filter(String key) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(value, true, loader != null ? loader : ClassLoader.getSystemClassLoader());
            return (Filter) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            problems.accept(key + " = '" + value + "' cannot be used as a java.util.logging.Filter (" + e
                    + "); using no filter");
            return null;
        }
    }

    /** Every key the source holds, as far as it can be known. */
    public Set<String> names() {
        return new TreeSet<>(names.get());
    }

    /**
     * Reports each key under {@code prefix + "."} that is set but not among the known ones, naming
     * the nearest known key, so that a mistyped key does not go unnoticed.
     *
     * @param prefix the owner of the keys, e.g. a handler's class name
     * @param known the known keys, without the prefix
     */
    public void unknownKeys(String prefix, Collection<String> known) {
        String start = prefix + ".";
        for (String name : names()) {
            if (!name.startsWith(start) || raw(name) == null) {
                continue;
            }
            String key = name.substring(start.length());
            if (!known.contains(key)) {
                problems.accept(name + " is not a known key and is ignored; did you mean " + start
                        + nearest(key, known) + "?");
            }
        }
    }

    static String nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The keys of the configuration file LogManager read and of the system properties. */
    private static Set<String> configuredNames() {
        Set<String> names = new TreeSet<>(System.getProperties().stringPropertyNames());
        String file = System.getProperty("java.util.logging.config.file");
        Path path = file != null ? Path.of(file) : Path.of(System.getProperty("java.home"), "conf",
                "logging.properties");
        if (System.getProperty("java.util.logging.config.class") == null && Files.isReadable(path)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                properties.load(in);
                names.addAll(properties.stringPropertyNames());
            } catch (IOException | IllegalArgumentException e) {
                // LogManager reports an unreadable file itself; only the unknown-key check is lost.
            }
        }
        return names;
    }
}
