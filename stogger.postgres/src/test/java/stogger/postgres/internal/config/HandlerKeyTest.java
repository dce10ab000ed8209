package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key table is the one source of the handler's keys: every document that lists them agrees with it. */
class HandlerKeyTest {

    // Tests run in the module's directory.
    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmesTableIsTheKeyTable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("| key (prefix `" + HandlerKey.PREFIX + ".`)");
        assertTrue(start >= 0, "README has no table of handler keys");
        int end = readme.indexOf("\n\n", start);
        assertEquals(HandlerKey.markdownTable(), readme.substring(start, end + 1),
                "README.md's PostgresHandler keys table differs from HandlerKey.markdownTable(); paste it from there");
    }

    @Test
    void theHandlersJavadocListsTheKeyTable() throws Exception {
        String source = Files.readString(Path.of("src/main/java/stogger/postgres/PostgresHandler.java"));
        assertTrue(source.contains(HandlerKey.javadocTable()),
                "PostgresHandler's javadoc must contain HandlerKey.javadocTable():\n" + HandlerKey.javadocTable());
        Matcher keys = Pattern.compile("<tr><td>\\{@code (\\w+)}").matcher(source);
        int listed = 0;
        while (keys.find()) {
            listed++;
        }
        assertEquals(HandlerKey.values().length, listed, "keys in PostgresHandler's javadoc");
    }

    @Test
    void theRuntimeImagesLoggingPropertiesListsEveryKeyWithItsDefault() throws Exception {
        Path conf = ROOT.resolve("runtime-image/src/main/image/conf/logging.properties");
        Map<String, String> listed = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(HandlerKey.PREFIX) + "\\.(\\w+)\\s*=\\s*(.*)$")
                .matcher(Files.readString(conf));
        while (line.find()) {
            listed.put(line.group(1), line.group(2).trim());
        }
        assertEquals(HandlerKey.names(), java.util.List.copyOf(listed.keySet()), "keys of " + conf + ", in table order");
        for (HandlerKey key : HandlerKey.values()) {
            if (key.defaultValue() != null) {
                assertEquals(key.defaultValue(), listed.get(key.key()), key.fullKey() + " in " + conf);
            }
        }
    }

    @Test
    void checksNameTheKeyTheLimitsTheUnitAndTheValue() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> HandlerKey.BATCH_SIZE.check(1_000_000));
        assertEquals("batchSize must be a whole number of rows from 1 to 100000, got 1000000", tooBig.getMessage());
        assertEquals(100_000, HandlerKey.BATCH_SIZE.check(100_000));
        assertEquals(1, HandlerKey.BATCH_SIZE.check(1));
        assertThrows(IllegalArgumentException.class, () -> HandlerKey.BATCH_SIZE.check(0));
        assertEquals("async", HandlerKey.MODE.check(" ASYNC "));
        assertEquals("mode must be one of sync, async, got 'later'",
                assertThrows(IllegalArgumentException.class, () -> HandlerKey.MODE.check("later")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HandlerKey.MODE.check(null));
    }
}
