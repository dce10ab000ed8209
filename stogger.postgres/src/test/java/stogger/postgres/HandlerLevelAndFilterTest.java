package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler's {@code level} and {@code filter} (README: PostgresHandler keys), from the builder
 * and from the logging configuration: a record they refuse never becomes a row and is not counted
 * as lost; the driver's own loggers are ignored altogether.
 */
public class HandlerLevelAndFilterTest {

    /** Lets through only records whose message does not start with "secret". */
    public static final class NoSecrets implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return !record.getMessage().startsWith("secret");
        }
    }

    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table);
    }

    private List<String> events() throws Exception {
        return fixture.db.column("SELECT event FROM " + fixture.table + " ORDER BY id");
    }

    private void logOneOfEachLevel() {
        for (Level level : new Level[] {Level.FINEST, Level.FINE, Level.CONFIG, Level.INFO, Level.WARNING,
                Level.SEVERE}) {
            fixture.logger.log(level, "at-" + level.getName().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void theDefaultLevelAllWritesEveryLevel() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        assertEquals(Level.ALL, handler.getLevel());
        logOneOfEachLevel();
        assertEquals(List.of("at-finest", "at-fine", "at-config", "at-info", "at-warning", "at-severe"), events());
    }

    @Test
    void aConfiguredLevelKeepsLowerRecordsOutWithoutCountingThem() throws Exception {
        PostgresHandler handler = fixture.attach(settings().level(Level.WARNING));
        assertEquals(Level.WARNING, handler.getLevel());
        logOneOfEachLevel();
        assertEquals(List.of("at-warning", "at-severe"), events());
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }

    @Test
    void aConfiguredFilterKeepsItsRecordsOutWithoutCountingThem() throws Exception {
        PostgresHandler handler = fixture.attach(settings().filter(new NoSecrets()));
        assertInstanceOf(NoSecrets.class, handler.getFilter());
        fixture.logger.info("public-1");
        fixture.logger.info("secret-token");
        fixture.logger.info("public-2");
        assertEquals(List.of("public-1", "public-2"), events());
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }

    @Test
    void levelAndFilterFromTheLoggingConfiguration() throws Exception {
        Map<String, String> keys = Map.of(
                PostgresSettings.PREFIX + ".dsn", fixture.db.dsn(),
                PostgresSettings.PREFIX + ".table", fixture.table,
                PostgresSettings.PREFIX + ".level", "INFO",
                PostgresSettings.PREFIX + ".filter", NoSecrets.class.getName());
        PostgresSettings read = PostgresSettings.fromProperties(keys::get, null);
        assertEquals(List.of(), read.problems());
        PostgresHandler handler = fixture.attach(new PostgresHandler(read));
        assertEquals(Level.INFO, handler.getLevel());
        assertInstanceOf(NoSecrets.class, handler.getFilter());
        fixture.logger.fine("fine-is-below-info");
        fixture.logger.info("secret-at-info");
        fixture.logger.warning("written");
        assertEquals(List.of("written"), events());
    }

    @Test
    void aFilterThatThrowsIsReportedAndTheHandlerGoesOn() throws Exception {
        Filter broken = record -> {
            if (record.getMessage().equals("boom")) {
                throw new IllegalStateException("filter broke");
            }
            return true;
        };
        PostgresHandler handler = fixture.attach(settings().filter(broken));
        String stderr = TestSupport.captureStderr(() -> {
            fixture.logger.info("before");
            fixture.logger.info("boom");
            fixture.logger.info("after");
        });
        assertEquals(List.of("before", "after"), events());
        assertTrue(stderr.contains("the filter failed") && stderr.contains("filter broke"), stderr);
        assertEquals(2, handler.stats().written());
    }

    @Test
    void recordsOfTheDriversLoggersAndNullAreIgnored() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        LogRecord driver = new LogRecord(Level.SEVERE, "from-the-driver");
        driver.setLoggerName("org.postgresql.core.v3.ConnectionFactoryImpl");
        handler.publish(driver);
        handler.publish(null);
        LogRecord similar = new LogRecord(Level.INFO, "from-another-org");
        similar.setLoggerName("org.postgres");
        handler.publish(similar);
        LogRecord unnamed = new LogRecord(Level.INFO, "without-logger");
        handler.publish(unnamed);
        assertEquals(List.of("from-another-org", "without-logger"), events());
        assertEquals(new HandlerStats(2, 0, 0, 0), handler.stats());
    }
}
