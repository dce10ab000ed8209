package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import stogger.core.spi.LoggingProperties;
import stogger.postgres.internal.config.HandlerKey;

/** Both ways to settings, the builder and the logging configuration, follow one key table. */
class PostgresSettingsTest {

    private static final String DSN = "postgresql://app@db.internal/logs";

    private static PostgresSettings fromProperties(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        return PostgresSettings.read(new LoggingProperties(properties::get, properties::keySet, problems::add),
                problems, null, null);
    }

    private static Map<String, String> withDsn(String key, String value) {
        return Map.of(HandlerKey.DSN.fullKey(), DSN, key, value);
    }

    private static Object callSetter(HandlerKey key, int value) throws Throwable {
        Method setter = PostgresSettings.Builder.class.getMethod(key.key(), int.class);
        try {
            return setter.invoke(PostgresSettings.builder(), value);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void everyWholeNumberKeyHasTheSameLimitsInTheBuilderAndInTheProperties() throws Throwable {
        int checked = 0;
        for (HandlerKey key : HandlerKey.values()) {
            if (key.type() != HandlerKey.Type.INTEGER) {
                continue;
            }
            checked++;
            assertNotNull(callSetter(key, key.min()), key.key());
            if (key.max() < Integer.MAX_VALUE) {
                assertNotNull(callSetter(key, key.max()), key.key());
                int over = key.max() + 1;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> callSetter(key, over));
                assertTrue(e.getMessage().startsWith(key.key() + " ") && e.getMessage().endsWith("got " + over),
                        e.getMessage());
                PostgresSettings read = fromProperties(withDsn(key.fullKey(), Integer.toString(over)));
                assertEquals(List.of(key.fullKey() + " = '" + over + "' is not a whole number of " + key.unit()
                        + " from " + key.min() + " to " + key.max() + "; using the default " + key.defaultValue()),
                        read.problems(), key.key());
            }
            int under = key.min() - 1;
            assertThrows(IllegalArgumentException.class, () -> callSetter(key, under), key.key());
            assertEquals(1, fromProperties(withDsn(key.fullKey(), Integer.toString(under))).problems().size(),
                    key.key());
            String inRange = Integer.toString(key.max() == Integer.MAX_VALUE ? key.min() : key.max());
            // retryInitialMs at its maximum exceeds the default retryMaxMs: that adjustment is tested below.
            assertTrue(fromProperties(withDsn(key.fullKey(), inRange)).problems().stream()
                    .noneMatch(p -> p.startsWith(key.fullKey() + " = '")), key.key());
        }
        assertEquals(14, checked, "whole-number keys in the table");
    }

    /** A value of the key's range next to its default (so retryInitialMs stays below retryMaxMs). */
    private static int notTheDefault(HandlerKey key) {
        return key.defaultInt() < key.max() ? key.defaultInt() + 1 : key.defaultInt() - 1;
    }

    private static Object getter(PostgresSettings settings, String name) throws Exception {
        return PostgresSettings.class.getMethod(name).invoke(settings);
    }

    @Test
    void everyWholeNumberKeyReachesItsSettingFromTheBuilderAndFromTheProperties() throws Throwable {
        for (HandlerKey key : HandlerKey.values()) {
            if (key.type() != HandlerKey.Type.INTEGER) {
                continue;
            }
            int value = notTheDefault(key);
            PostgresSettings.Builder builder = (PostgresSettings.Builder) callSetter(key, value);
            assertEquals(value, getter(builder.dsn(DSN).build(), key.key()), "builder: " + key.key());
            PostgresSettings read = fromProperties(withDsn(key.fullKey(), Integer.toString(value)));
            assertEquals(value, getter(read, key.key()), "properties: " + key.key());
            assertEquals(key.defaultInt(), getter(PostgresSettings.builder().dsn(DSN).build(), key.key()),
                    "default: " + key.key());
        }
    }

    @Test
    void everyChoiceKeyReachesItsSettingFromTheBuilderAndFromTheProperties() {
        PostgresSettings built = PostgresSettings.builder().dsn(DSN).createTable(false).pooler("transaction")
                .synchronousCommit(false).mode("async").overflow("drop").spoolDirectory("/tmp/spool")
                .spoolMode("always").spoolSync("batch").build();
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN,
                HandlerKey.CREATE_TABLE.fullKey(), "false", HandlerKey.POOLER.fullKey(), "transaction",
                HandlerKey.SYNCHRONOUS_COMMIT.fullKey(), "off", HandlerKey.MODE.fullKey(), "async",
                HandlerKey.OVERFLOW.fullKey(), "drop", HandlerKey.SPOOL_DIRECTORY.fullKey(), "/tmp/spool",
                HandlerKey.SPOOL_MODE.fullKey(), "always", HandlerKey.SPOOL_SYNC.fullKey(), "batch"));
        assertEquals(List.of(), read.problems());
        for (PostgresSettings settings : List.of(built, read)) {
            assertFalse(settings.createTable());
            assertTrue(settings.transactionPooler());
            assertFalse(settings.synchronousCommit());
            assertTrue(settings.async());
            assertFalse(settings.blockOnOverflow());
            assertEquals(java.nio.file.Path.of("/tmp/spool"), settings.spoolDirectory());
            assertTrue(settings.spoolAlways());
            assertTrue(settings.spoolSyncEveryAppend());
        }
        PostgresSettings defaults = PostgresSettings.builder().dsn(DSN).build();
        assertTrue(defaults.createTable());
        assertFalse(defaults.transactionPooler());
        assertTrue(defaults.synchronousCommit());
        assertFalse(defaults.async());
        assertTrue(defaults.blockOnOverflow());
        assertNull(defaults.spoolDirectory());
        assertFalse(defaults.spoolAlways());
        assertFalse(defaults.spoolSyncEveryAppend());
    }

    @Test
    void aBatchSizeTheTableRejectsIsRejectedByTheBuilderToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().batchSize(1_000_000));
        assertEquals("batchSize must be a whole number of rows from 1 to 100000, got 1000000", e.getMessage());
    }

    @Test
    void aRetryMaximumBelowTheInitialDelayIsReportedAndRaisedOrRejected() {
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN,
                HandlerKey.RETRY_INITIAL_MS.fullKey(), "5000", HandlerKey.RETRY_MAX_MS.fullKey(), "2000"));
        assertEquals(5000, read.retryMaxMs());
        assertEquals(List.of("stogger.postgres.PostgresHandler.retryMaxMs = 2000 is less than"
                + " stogger.postgres.PostgresHandler.retryInitialMs = 5000; using 5000"), read.problems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().dsn(DSN).retryInitialMs(5000).retryMaxMs(2000).build());
        assertEquals("retryMaxMs (2000) must be at least retryInitialMs (5000)", e.getMessage());
        assertEquals(5000, PostgresSettings.builder().dsn(DSN).retryInitialMs(5000).retryMaxMs(5000).build()
                .retryMaxMs());
    }

    @Test
    void anUnknownKeyUnderThePrefixIsReportedOnceWithTheNearestKnownKey() {
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN,
                "stogger.postgres.PostgresHandler.batchsize", "500", "stogger.postgres.PostgresHandler.flushTimeout",
                "10", "stogger.other.key", "x"));
        assertEquals(Set.of("stogger.postgres.PostgresHandler.batchsize is not a known key and is ignored; did you"
                + " mean stogger.postgres.PostgresHandler.batchSize?", "stogger.postgres.PostgresHandler.flushTimeout"
                + " is not a known key and is ignored; did you mean stogger.postgres.PostgresHandler.flushTimeoutMs?"),
                Set.copyOf(read.problems()));
        assertEquals(2, read.problems().size());
        assertEquals(HandlerKey.BATCH_SIZE.defaultInt(), read.batchSize());
    }

    @Test
    void theBuildersDsnAndTableRejectWhatCannotBeParsedNamingTheProblem() {
        IllegalArgumentException dsn = assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().dsn("mysql://db/logs"));
        assertTrue(dsn.getMessage().startsWith("dsn has an unsupported form"), dsn.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().dsn("postgresql://db:99999/logs"));
        assertEquals("dsn: invalid port '99999'", port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PostgresSettings.builder().dsn(" "));
        assertThrows(IllegalArgumentException.class, () -> PostgresSettings.builder().table("1table"));
    }

    @Test
    void settingsHoldTheParsedTargetAndTableAndShowNoPassword() {
        PostgresSettings settings = PostgresSettings.builder().dsn("postgresql://app:%PASSWORD%@db.internal/logs")
                .password("s3cret!").table("logs.events").build();
        assertEquals("jdbc:postgresql://db.internal:5432/logs", settings.target().jdbcUrl());
        assertEquals("s3cret!", settings.target().properties().getProperty("password"));
        assertEquals("\"logs\".\"events\"", settings.tableName().quoted());
        assertNull(settings.unusableReason());
        assertFalse(settings.toString().contains("s3cret!"), settings.toString());
        assertTrue(settings.toString().contains("dsn=postgresql://app@db.internal:5432/logs"), settings.toString());
        assertTrue(settings.toString().contains("batchSize=1000"), settings.toString());
    }

    @Test
    void whatTheDsnAsksForAndCannotBeHonouredIsAProblemOnBothPaths() {
        String dsn = "postgresql://a,b/logs?target_session_attrs=read_write";
        PostgresSettings read = fromProperties(Map.of(HandlerKey.DSN.fullKey(), dsn));
        assertEquals(1, read.problems().size(), read.problems().toString());
        assertTrue(read.problems().get(0).startsWith(HandlerKey.DSN.fullKey() + ": target_session_attrs=read_write"),
                read.problems().toString());
        PostgresSettings built = PostgresSettings.builder().dsn(dsn).build();
        assertEquals(1, built.problems().size(), built.problems().toString());
        assertTrue(built.problems().get(0).startsWith("dsn: target_session_attrs=read_write"), built.problems().toString());
        assertNull(built.unusableReason(), "it still connects");
    }

    @Test
    void settingsThatCanNeverWriteSayWhyNamingTheKey() {
        PostgresSettings badDsn = fromProperties(Map.of(HandlerKey.DSN.fullKey(), "postgresql://db:0/x"));
        assertEquals("stogger.postgres.PostgresHandler.dsn: invalid port '0'", badDsn.unusableReason());
        assertEquals(List.of(badDsn.unusableReason() + "; the handler writes nothing"), badDsn.problems());
        assertTrue(badDsn.toString().contains("dsn=(invalid DSN)"), badDsn.toString());
        PostgresSettings badTable = fromProperties(withDsn(HandlerKey.TABLE.fullKey(), "a.b.c"));
        assertTrue(badTable.unusableReason().startsWith("invalid table name 'a.b.c'"), badTable.unusableReason());
        assertNull(fromProperties(Map.of(HandlerKey.DSN.fullKey(), DSN)).unusableReason());
    }
}
