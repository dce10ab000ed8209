package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.core.Fields;

/**
 * Sync mode's promises beyond one row per record: logging from inside the handler's own work
 * (a value's toString that logs) never becomes a row nor recurses; an episode of rejected records
 * still open at close gets its marker row then; a killed backend is told once and costs nothing.
 */
class SyncModeTest {

    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table);
    }

    /** A value whose rendering logs through the same logger, as an application's toString might. */
    private final class Chatty {
        @Override
        public String toString() {
            fixture.logger.info("logged-while-rendering");
            return "chatty";
        }
    }

    @Test
    void recordsLoggedWhileARecordIsRenderedAreNotWritten() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        fixture.logger.log(Level.INFO, "outer", Fields.of("value", new Chatty()));
        assertEquals(List.of("outer chatty"), fixture.db.column("SELECT event || ' ' || (data->>'value') FROM "
                + fixture.table));
        assertEquals(new HandlerStats(1, 0, 0, 0), handler.stats());
        fixture.logger.info("next");
        assertEquals(2, fixture.db.count(fixture.table), "the thread is not left marked");
    }

    @Test
    void anEpisodeOfRejectedRecordsOpenAtCloseGetsItsMarkerRow() throws Exception {
        PostgresHandler handler = fixture.attach(settings());
        fixture.logger.info("good");
        fixture.db.execute("ALTER TABLE " + fixture.table + " ADD CONSTRAINT no_bad CHECK (event <> 'bad')");
        String stderr = TestSupport.captureStderr(() -> {
            fixture.logger.info("bad");
            fixture.logger.info("bad");
            fixture.logger.info("bad");
            handler.close();
        });
        assertEquals(new HandlerStats(1, 0, 3, 0), handler.stats());
        assertEquals(List.of("3 statement-failed"), fixture.db.column("SELECT (data->>'lost') || ' ' || (data->>'reason')"
                + " FROM " + fixture.table + " WHERE event = 'records-lost'"));
        assertEquals(List.of("good"), fixture.db.column("SELECT event FROM " + fixture.table
                + " WHERE event <> 'records-lost'"));
        assertTrue(stderr.contains("23514"), "the server's reason: " + stderr);
    }

    @Test
    void aKilledBackendIsToldOnceAndTheRecordsAfterItAreWritten() throws Exception {
        String application = "stogger-told-" + fixture.table;
        PostgresHandler handler = fixture.attach(settings().dsn(fixture.db.dsn()
                + (fixture.db.dsn().contains("?") ? "&" : "?") + "application_name=" + application));
        fixture.logger.info("before");
        String stderr = TestSupport.captureStderr(() -> {
            assertEquals("t", fixture.db.value("SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = '" + application + "'"));
            for (int i = 0; i < 5; i++) {
                fixture.logger.info("after");
            }
        });
        assertEquals(new HandlerStats(6, 0, 0, 0), handler.stats());
        assertEquals(6, fixture.db.count(fixture.table));
        List<String> lost = stderr.lines().filter(line -> line.contains("lost the connection to ")).toList();
        assertEquals(1, lost.size(), stderr);
        assertTrue(lost.get(0).contains("57P01"), lost.get(0));
        assertTrue(lost.get(0).contains("postgresql://"), lost.get(0));
    }

    @Test
    void anUnreachableDatabaseIsToldWithWhatHappensToTheRecords() throws Exception {
        String stderr = TestSupport.captureStderr(() -> {
            PostgresHandler handler = fixture.attach(settings().dsn("postgresql://app@127.0.0.1:1/logs"));
            fixture.logger.info("dropped");
            assertEquals(new HandlerStats(0, 1, 0, 0), handler.stats());
        });
        String first = stderr.lines().findFirst().orElse("");
        assertTrue(first.startsWith("stogger.postgres: cannot write to postgresql://app@127.0.0.1:1/logs: "), first);
        assertTrue(first.contains("records are dropped and counted until it is reachable"), first);
    }
}
