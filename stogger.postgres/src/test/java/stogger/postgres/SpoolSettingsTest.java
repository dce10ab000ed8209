package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import stogger.core.spi.LoggingProperties;
import stogger.postgres.internal.config.HandlerKey;

/** The spool's keys: off unless a directory is set, defaults, and bad values named with key and value. */
class SpoolSettingsTest {

    private static final String DSN = "postgresql://app@db.internal/logs";

    private static PostgresSettings fromProperties(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        return PostgresSettings.read(new LoggingProperties(properties::get, properties::keySet, problems::add),
                problems, null, null);
    }

    @Test
    void theSpoolIsOffUnlessADirectoryIsSetAndTheDefaultsAreTheDocumentedOnes() {
        PostgresSettings settings = PostgresSettings.builder().dsn(DSN).build();
        assertNull(settings.spoolDirectory());
        assertFalse(settings.spoolAlways());
        assertEquals(256 * 1024 * 1024, settings.spoolMaxBytes());
        assertFalse(settings.spoolSyncEveryAppend());
        assertEquals(1000, settings.spoolSyncIntervalMs());
    }

    @Test
    void theBuilderAndThePropertiesTakeTheSameSpoolSettings() {
        PostgresSettings built = PostgresSettings.builder().dsn(DSN).spoolDirectory("/var/spool/app")
                .spoolMode("ALWAYS").spoolMaxBytes(1 << 20).spoolSync("batch").spoolSyncIntervalMs(50).build();
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN,
                HandlerKey.SPOOL_DIRECTORY.fullKey(), " /var/spool/app ", HandlerKey.SPOOL_MODE.fullKey(), "always",
                HandlerKey.SPOOL_MAX_BYTES.fullKey(), "1048576", HandlerKey.SPOOL_SYNC.fullKey(), "batch",
                HandlerKey.SPOOL_SYNC_INTERVAL_MS.fullKey(), "50"));
        for (PostgresSettings s : List.of(built, read)) {
            assertEquals(Path.of("/var/spool/app"), s.spoolDirectory());
            assertTrue(s.spoolAlways());
            assertEquals(1 << 20, s.spoolMaxBytes());
            assertTrue(s.spoolSyncEveryAppend());
            assertEquals(50, s.spoolSyncIntervalMs());
        }
        assertEquals(List.of(), read.problems());
    }

    @Test
    void badSpoolValuesNameTheKeyAndTheValue() {
        PostgresSettings.Builder builder = PostgresSettings.builder().dsn(DSN);
        assertEquals("spoolMode must be one of outage, always, got 'sometimes'",
                assertThrows(IllegalArgumentException.class, () -> builder.spoolMode("sometimes")).getMessage());
        assertEquals("spoolMaxBytes must be a whole number of bytes from 65536 to 2147483647, got 1000",
                assertThrows(IllegalArgumentException.class, () -> builder.spoolMaxBytes(1000)).getMessage());
        assertEquals("spoolDirectory must be a directory, got ' '",
                assertThrows(IllegalArgumentException.class, () -> builder.spoolDirectory(" ")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.spoolDirectory("a\0b")).getMessage()
                .startsWith("spoolDirectory must be a directory, got 'a"));
    }

    @Test
    void aBadSpoolValueInThePropertiesIsReportedAndTheOtherSettingsKeepWorking() {
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN,
                HandlerKey.SPOOL_DIRECTORY.fullKey(), "/tmp/x\0y", HandlerKey.SPOOL_SYNC.fullKey(), "never",
                HandlerKey.BATCH_SIZE.fullKey(), "500"));
        assertNull(read.spoolDirectory());
        assertFalse(read.spoolSyncEveryAppend());
        assertEquals(500, read.batchSize());
        assertEquals(2, read.problems().size(), read.problems().toString());
        assertTrue(read.problems().stream().anyMatch(p -> p.startsWith(HandlerKey.SPOOL_DIRECTORY.fullKey()
                + " must be a directory, got '/tmp/x")), read.problems().toString());
        assertTrue(read.problems().stream().anyMatch(p -> p.contains(HandlerKey.SPOOL_SYNC.fullKey())
                && p.contains("never")), read.problems().toString());
        assertNull(read.unusableReason());
    }
}
