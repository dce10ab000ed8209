package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.StoggerConfig;
import stogger.core.spi.TargetUnavailableException;
import stogger.postgres.internal.PostgresHandlerProvider;

/**
 * The two configuration paths of the README: the no-argument constructor reading the handler's
 * keys (a system property of the same name wins), reporting each bad value once when the handler
 * is made; and the {@code postgres} provider of {@code Stogger.init()}, which gives no handler for
 * settings that can never write.
 */
class HandlerConfigurationTest {

    private static final String PREFIX = PostgresSettings.PREFIX + ".";

    private final HandlerFixture fixture = new HandlerFixture();
    private final List<String> properties = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String key : properties) {
            System.clearProperty(key);
        }
        fixture.close();
    }

    private void property(String key, String value) {
        properties.add(key);
        System.setProperty(key, value);
    }

    @Test
    void theNoArgumentConstructorReadsTheHandlersKeysFromSystemProperties() throws Exception {
        property(PREFIX + "dsn", fixture.db.dsn());
        property(PREFIX + "table", fixture.table);
        property(PREFIX + "level", "WARNING");
        String stderr = TestSupport.captureStderr(() -> {
            PostgresHandler handler = fixture.attach(new PostgresHandler());
            assertEquals(Level.WARNING, handler.getLevel());
            fixture.logger.info("below-the-level");
            fixture.logger.warning("configured-by-properties");
            assertEquals(new HandlerStats(1, 0, 0, 0), handler.stats());
        });
        assertEquals(List.of("configured-by-properties"), fixture.db.column("SELECT event FROM " + fixture.table));
        assertEquals("", stderr, "nothing to report");
    }

    @Test
    void eachBadValueIsReportedOnceWhenTheHandlerIsMade() throws Exception {
        Map<String, String> keys = Map.of(PREFIX + "dsn", fixture.db.dsn(), PREFIX + "table", fixture.table,
                PREFIX + "batchSize", "0", PREFIX + "retryInitialMs", "soon");
        PostgresSettings settings = PostgresSettings.fromProperties(keys::get, null);
        assertEquals(2, settings.problems().size(), settings.problems().toString());
        String stderr = TestSupport.captureStderr(() -> {
            PostgresHandler handler = fixture.attach(new PostgresHandler(settings));
            fixture.logger.info("written-with-defaults");
            assertEquals(1, handler.stats().written());
        });
        for (String problem : settings.problems()) {
            assertEquals(1, stderr.lines().filter(line -> line.contains(problem)).count(), stderr);
        }
        assertTrue(stderr.contains(PREFIX + "batchSize") && stderr.contains(PREFIX + "retryInitialMs"), stderr);
    }

    @Test
    void aRetryMaximumEqualToTheInitialDelayIsNoProblem() {
        Map<String, String> keys = Map.of(PREFIX + "dsn", fixture.db.dsn(), PREFIX + "retryInitialMs", "2000",
                PREFIX + "retryMaxMs", "2000");
        PostgresSettings settings = PostgresSettings.fromProperties(keys::get, null);
        assertEquals(List.of(), settings.problems());
        assertEquals(2000, settings.retryMaxMs());
        Map<String, String> below = Map.of(PREFIX + "dsn", fixture.db.dsn(), PREFIX + "retryInitialMs", "2000",
                PREFIX + "retryMaxMs", "1999");
        PostgresSettings raised = PostgresSettings.fromProperties(below::get, null);
        assertEquals(2000, raised.retryMaxMs());
        assertEquals(1, raised.problems().size(), raised.problems().toString());
    }

    @Test
    void theBuilderRejectsANullLevel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresSettings.builder().level(null));
        assertTrue(e.getMessage().contains("level"), e.getMessage());
    }

    @Test
    void theProviderGivesNoHandlerForAnInvalidTableAndReportsTheOtherProblemsOnce() throws Exception {
        property(PREFIX + "batchSize", "0");
        StoggerConfig config = new StoggerConfig(true, fixture.db.dsn(), "not-a-table!", null);
        String[] reason = new String[1];
        String stderr = TestSupport.captureStderr(() -> {
            TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                    () -> new PostgresHandlerProvider().create(config));
            reason[0] = e.getMessage();
        });
        assertTrue(reason[0].contains("'not-a-table!'"), reason[0]);
        assertEquals(1, stderr.lines().filter(line -> line.contains(PREFIX + "batchSize")).count(), stderr);
        assertFalse(stderr.contains("not-a-table!"), "the reason is the exception's, for Stogger.init: " + stderr);
    }

    @Test
    void theProviderBuildsAWritingHandlerFromTheStoggerConfiguration() throws Exception {
        StoggerConfig config = new StoggerConfig(true, fixture.db.dsn(), fixture.table, null);
        PostgresHandlerProvider provider = new PostgresHandlerProvider();
        assertEquals("postgres", provider.name());
        PostgresHandler handler = fixture.keep((PostgresHandler) provider.create(config));
        handler.publish(new LogRecord(Level.INFO, "via-provider"));
        assertEquals(List.of("via-provider"), fixture.db.column("SELECT event FROM " + fixture.table));
    }

    @Test
    void lostIsDroppedPlusFailed() {
        assertEquals(7, new HandlerStats(100, 5, 2, 9).lost());
        assertEquals(0, new HandlerStats(3, 0, 0, 0).lost());
    }

    @Test
    void toStringNamesTheFilterClassAndSaysWhyThereIsNoDsn() {
        PostgresSettings filtered = PostgresSettings.builder().dsn("postgresql://app:pw@db/logs")
                .filter(new HandlerLevelAndFilterTest.NoSecrets()).build();
        assertTrue(filtered.toString().contains("filter=" + HandlerLevelAndFilterTest.NoSecrets.class.getName() + ","),
                filtered.toString());
        assertTrue(filtered.toString().startsWith("PostgresSettings[dsn=postgresql://app@db:5432/logs, "),
                filtered.toString());
        assertTrue(PostgresSettings.fromProperties(key -> null, null).toString().contains("dsn=(not set)"));
        Map<String, String> invalid = Map.of(PREFIX + "dsn", "mysql://app:pw@db/logs");
        assertTrue(PostgresSettings.fromProperties(invalid::get, null).toString().contains("dsn=(invalid DSN)"));
    }

    @ParameterizedTest(name = "synchronousCommit = {0}")
    @ValueSource(booleans = {true, false})
    void behindATransactionPoolerTheHandlerSaysOnceWhatToSetOnTheRoleAndStillWrites(boolean synchronousCommit)
            throws Exception {
        String role = fixture.db.value("SELECT current_user");
        String stderr = TestSupport.captureStderr(() -> {
            PostgresHandler handler = fixture.attach(PostgresSettings.builder()
                    .dsn(fixture.db.dsnAt(fixture.db.host(), fixture.db.port())).table(fixture.table)
                    .pooler("transaction").writeTimeoutMs(1234).synchronousCommit(synchronousCommit));
            fixture.logger.info("behind-the-pooler");
            assertEquals(1, handler.stats().written());
        });
        assertEquals(1, stderr.lines().filter(line -> line.contains("pooler = transaction")).count(), stderr);
        for (String setting : List.of("statement_timeout = '1234ms'", "lock_timeout = '1234ms'")) {
            assertTrue(stderr.contains("ALTER ROLE " + role + " SET " + setting), stderr);
        }
        assertEquals(!synchronousCommit, stderr.contains("ALTER ROLE " + role + " SET synchronous_commit = off"),
                stderr);
    }

    @Test
    void withoutAPoolerThereIsNoPoolerAdvice() throws Exception {
        String stderr = TestSupport.captureStderr(() -> {
            fixture.attach(PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table));
            fixture.logger.info("direct");
        });
        assertFalse(stderr.contains("ALTER ROLE"), stderr);
    }
}
