package stogger.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.TestDatabase;

/** The jlink runtime built by the runtime-image module: its modules, its launcher, its configuration. */
class RuntimeImageTest {

    private final Path image = Path.of(System.getProperty("image.dir"));
    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();

    @AfterEach
    void dropTable() throws Exception {
        db.drop(table);
    }

    @Test
    void imageContainsTheLibraryAndTheModularisedDriver() {
        Apps.Run run = Apps.run(List.of(image.resolve("bin/java").toString(), "--list-modules"));
        assertEquals(0, run.exitCode(), run.toString());
        for (String module : List.of("stogger.core@", "stogger.postgres@", "jakarta.json@", "org.eclipse.parsson@",
                "org.postgresql.jdbc@")) {
            assertTrue(run.stdout().lines().anyMatch(line -> line.startsWith(module)), module + " in " + run);
        }
    }

    @Test
    void confLoggingPropertiesShowsTheHandlersKeys() throws Exception {
        String conf = Files.readString(image.resolve("conf/logging.properties"));
        assertTrue(conf.contains("handlers = java.util.logging.ConsoleHandler, stogger.postgres.PostgresHandler"), conf);
        for (String key : List.of("dsn", "table", "level", "filter", "connectTimeoutMs", "socketTimeoutMs",
                "synchronousCommit", "retryInitialMs", "retryMaxMs", "maxStringLength", "mode", "queueCapacity",
                "batchSize", "flushIntervalMs", "overflow", "blockTimeoutMs", "flushTimeoutMs", "closeTimeoutMs")) {
            assertTrue(conf.contains("stogger.postgres.PostgresHandler." + key + " ="), key);
        }
        // The image's default stays the README's: sync mode.
        assertTrue(conf.contains("\nstogger.postgres.PostgresHandler.mode = sync\n"), conf);
    }

    @Test
    void theImagesLauncherLogsIntoPostgres() throws Exception {
        Path launcher = image.resolve("bin/stogger-sample");
        Apps.Run run = Apps.run(List.of(launcher.toString()), Map.of("JAVA_TOOL_OPTIONS",
                "-Dstogger.postgres.PostgresHandler.dsn=" + db.dsn() + " -Dstogger.postgres.PostgresHandler.table="
                        + table));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("sample done"), run.toString());
        assertEquals(List.of("image-started", "image-warning", "image-finished"),
                db.column("SELECT event FROM " + table + " ORDER BY id"), run.toString());
        assertEquals("image-check", db.value("SELECT DISTINCT scope FROM " + table));
    }
}
