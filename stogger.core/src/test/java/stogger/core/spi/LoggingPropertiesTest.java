package stogger.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The one reader of the logging configuration: lookup order, trimming, parsing, and every report. */
class LoggingPropertiesTest {

    private final Map<String, String> file = new HashMap<>();
    private final Map<String, String> system = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final LoggingProperties keys = new LoggingProperties(LoggingProperties.layered(file::get, system::get),
            () -> {
                List<String> names = new ArrayList<>(file.keySet());
                names.addAll(system.keySet());
                return names;
            }, problems::add);

    /** A filter with a public no-argument constructor, as LogManager instantiates them. */
    public static final class OnlyWarnings implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return record.getLevel().intValue() >= Level.WARNING.intValue();
        }
    }

    @Test
    void aSystemPropertyWinsOverTheFileAndValuesAreTrimmed() {
        file.put("a.key", "  from-file ");
        assertEquals("from-file", keys.raw("a.key"));
        system.put("a.key", " from-system");
        assertEquals("from-system", keys.raw("a.key"));
        file.put("blank", "   ");
        assertNull(keys.raw("blank"));
        assertEquals("fallback", keys.string("blank", "fallback"));
        assertEquals("fallback", keys.string("absent", "fallback"));
        assertTrue(problems.isEmpty());
    }

    @Test
    void wholeNumbersWithinTheirBoundsAndUnderscores() {
        file.put("n", "1_000");
        assertEquals(1000, keys.integer("n", 5, 1, 1000, "rows"));
        file.put("n", "1");
        assertEquals(1, keys.integer("n", 5, 1, 1000, "rows"));
        assertEquals(5, keys.integer("absent", 5, 1, 1000, "rows"));
        assertTrue(problems.isEmpty());
        file.put("n", "1001");
        assertEquals(5, keys.integer("n", 5, 1, 1000, "rows"));
        file.put("n", "0");
        assertEquals(5, keys.integer("n", 5, 1, 1000, "rows"));
        file.put("n", "many");
        assertEquals(5, keys.integer("n", 5, 1, 1000, "rows"));
        assertEquals(List.of("n = '1001' is not a whole number of rows from 1 to 1000; using the default 5",
                "n = '0' is not a whole number of rows from 1 to 1000; using the default 5",
                "n = 'many' is not a whole number of rows from 1 to 1000; using the default 5"), problems);
    }

    @Test
    void choicesInAnyCase() {
        file.put("mode", " ASYNC ");
        assertEquals("async", keys.choice("mode", "sync", List.of("sync", "async")));
        assertEquals("sync", keys.choice("absent", "sync", List.of("sync", "async")));
        file.put("mode", "later");
        assertEquals("sync", keys.choice("mode", "sync", List.of("sync", "async")));
        assertEquals(List.of("mode = 'later' is not one of sync, async; using the default sync"), problems);
    }

    @Test
    void booleansAsConfigurationFilesWriteThem() {
        for (String yes : List.of("true", "YES", "On", "1")) {
            file.put("b", yes);
            assertTrue(keys.bool("b", false), yes);
        }
        for (String no : List.of("false", "No", "OFF", "0")) {
            file.put("b", no);
            assertEquals(false, keys.bool("b", true), no);
        }
        assertTrue(keys.bool("absent", true));
        assertTrue(problems.isEmpty());
        file.put("b", "maybe");
        assertEquals(true, keys.bool("b", true));
        assertEquals(List.of("b = 'maybe' is not a boolean (true or false); using the default true"), problems);
    }

    @Test
    void levelsByNameOrNumber() {
        file.put("level", "warning");
        assertEquals(Level.WARNING, keys.level("level", Level.ALL));
        file.put("level", "800");
        assertEquals(Level.INFO, keys.level("level", Level.ALL));
        assertEquals(Level.FINE, keys.level("absent", Level.FINE));
        assertTrue(problems.isEmpty());
        file.put("level", "LOUD");
        assertEquals(Level.ALL, keys.level("level", Level.ALL));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("level = 'LOUD' is not a level (") && problems.get(0).endsWith(
                "; using the default ALL"), problems.get(0));
    }

    @Test
    void aFilterIsInstantiatedByItsClassNameAndABadOneIsReported() {
        file.put("filter", OnlyWarnings.class.getName());
        Filter filter = keys.filter("filter");
        assertTrue(filter instanceof OnlyWarnings);
        assertNull(keys.filter("absent"));
        assertTrue(problems.isEmpty());
        file.put("filter", "no.such.Filter");
        assertNull(keys.filter("filter"));
        file.put("filter", String.class.getName());
        assertNull(keys.filter("filter"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("filter = 'no.such.Filter' cannot be used as a java.util.logging.Filter"),
                problems.get(0));
        assertTrue(problems.get(1).endsWith("; using no filter"), problems.get(1));
    }

    @Test
    void setKeysUnderAPrefixThatNobodyReadsAreReportedWithTheNearestKnownOne() {
        file.put("my.Handler.batchsize", "5");
        file.put("my.Handler.batchSize", "5");
        file.put("my.Handler.blank", " ");
        file.put("my.Other.x", "1");
        system.put("my.Handler.levle", "INFO");
        keys.unknownKeys("my.Handler", List.of("batchSize", "level", "dsn"));
        assertEquals(List.of("my.Handler.batchsize is not a known key and is ignored; did you mean"
                + " my.Handler.batchSize?", "my.Handler.levle is not a known key and is ignored; did you mean"
                + " my.Handler.level?"), problems);
    }

    @Test
    void theNearestKeyIsTheOneFewestEditsAway() {
        assertEquals(0, LoggingProperties.distance("abc", "abc"));
        assertEquals(1, LoggingProperties.distance("abc", "abd"));
        assertEquals(1, LoggingProperties.distance("abc", "ab"));
        assertEquals(1, LoggingProperties.distance("ab", "abc"));
        assertEquals(3, LoggingProperties.distance("", "abc"));
        assertEquals(2, LoggingProperties.distance("flushTimeout", "flushTimeoutMs"));
        assertEquals("flushTimeoutMs", LoggingProperties.nearest("flushtimeout", List.of("flushIntervalMs",
                "flushTimeoutMs", "closeTimeoutMs")));
    }

    @Test
    void theRunningJvmsReaderSeesSystemProperties() {
        String key = "stogger.test.only." + System.nanoTime();
        System.setProperty(key, " set ");
        try {
            LoggingProperties jvm = LoggingProperties.ofLogManager(problems::add);
            assertEquals("set", jvm.raw(key));
            assertTrue(jvm.names().contains(key));
        } finally {
            System.clearProperty(key);
        }
    }
}
