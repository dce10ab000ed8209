package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoggerConfigTest {

    private final List<String> warnings = new ArrayList<>();

    private StoggerConfig load(Map<String, String> file, Map<String, String> system, Map<String, String> env) {
        return StoggerConfig.load(file::get, system::get, env::get, warnings::add);
    }

    @Test
    void defaultsMatchTheSeed() {
        StoggerConfig config = load(Map.of(), Map.of(), Map.of());
        assertFalse(config.enablePostgres());
        assertNull(config.postgresDsn());
        assertEquals("stogger_logs", config.postgresTable());
        assertNull(config.postgresPassword());
        assertEquals(StoggerConfig.defaults(), config);
        assertTrue(warnings.isEmpty());
    }

    @Test
    void readsTheKeysFromTheLoggingConfiguration() {
        StoggerConfig config = load(Map.of("stogger.enable_postgres", "true",
                "stogger.postgres_dsn", "postgresql://app@db/logs", "stogger.postgres_table", "logs.app"),
                Map.of(), Map.of("STOGGER_POSTGRES_PASSWORD", "pw"));
        assertTrue(config.enablePostgres());
        assertEquals("postgresql://app@db/logs", config.postgresDsn());
        assertEquals("logs.app", config.postgresTable());
        assertEquals("pw", config.postgresPassword());
    }

    @Test
    void systemPropertiesWinOverTheFile() {
        StoggerConfig config = load(Map.of("stogger.enable_postgres", "false", "stogger.postgres_table", "a"),
                Map.of("stogger.enable_postgres", "true", "stogger.postgres_table", "b"), Map.of());
        assertTrue(config.enablePostgres());
        assertEquals("b", config.postgresTable());
    }

    @Test
    void badBooleanIsReportedWithKeyValueAndDefault() {
        StoggerConfig config = load(Map.of("stogger.enable_postgres", "maybe"), Map.of(), Map.of());
        assertFalse(config.enablePostgres());
        assertEquals(1, warnings.size());
        String warning = warnings.get(0);
        assertTrue(warning.contains("stogger.enable_postgres"), warning);
        assertTrue(warning.contains("'maybe'"), warning);
        assertTrue(warning.contains("default false"), warning);
    }

    @Test
    void commonBooleanSpellingsAreAccepted() {
        for (String yes : List.of("true", "TRUE", " yes ", "on", "1")) {
            assertTrue(load(Map.of("stogger.enable_postgres", yes), Map.of(), Map.of()).enablePostgres(), yes);
        }
        for (String no : List.of("false", "No", "off", "0")) {
            assertFalse(load(Map.of("stogger.enable_postgres", no), Map.of(), Map.of()).enablePostgres(), no);
        }
        assertTrue(warnings.isEmpty());
    }

    @Test
    void blankValuesFallBackToDefaults() {
        StoggerConfig config = new StoggerConfig(true, "  ", " ", null);
        assertNull(config.postgresDsn());
        assertEquals("stogger_logs", config.postgresTable());
    }

    @Test
    void toStringNeverShowsThePassword() {
        StoggerConfig fromEnv = new StoggerConfig(true, "postgresql://app:%PASSWORD%@db/logs", null, "hunter2");
        assertFalse(fromEnv.toString().contains("hunter2"), fromEnv.toString());
        StoggerConfig literal = new StoggerConfig(true, "postgresql://app:hunter2@db/logs", null, null);
        assertFalse(literal.toString().contains("hunter2"), literal.toString());
        StoggerConfig conninfo = new StoggerConfig(true, "host=db password='hun ter2' user=app", null, null);
        assertFalse(conninfo.toString().contains("hun ter2"), conninfo.toString());
        assertTrue(conninfo.toString().contains("user=app"));
    }

    @Test
    void passwordMissingOnlyWhenThePlaceholderNeedsIt() {
        assertTrue(new StoggerConfig(true, "postgresql://a:%PASSWORD%@h/d", null, null).passwordMissing());
        assertFalse(new StoggerConfig(true, "postgresql://a:%PASSWORD%@h/d", null, "x").passwordMissing());
        assertFalse(new StoggerConfig(true, "postgresql://a@h/d", null, null).passwordMissing());
    }
}
