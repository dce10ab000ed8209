package stogger.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.TestDatabase;

/**
 * The design card's ways of use, black-box: the packaged jars in child JVMs, rows checked in
 * PostgreSQL.
 */
class UsageTest {

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();

    @AfterEach
    void dropTable() throws Exception {
        db.drop(table);
    }

    private Path pureJulProperties() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "java.util.logging.ConsoleHandler, stogger.postgres.PostgresHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.postgres.PostgresHandler.dsn", db.dsn());
        entries.put("stogger.postgres.PostgresHandler.table", table);
        return Apps.loggingProperties(entries);
    }

    private Path stoggerProperties(boolean enablePostgres) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "java.util.logging.ConsoleHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.enable_postgres", Boolean.toString(enablePostgres));
        entries.put("stogger.postgres_dsn", db.dsn());
        entries.put("stogger.postgres_table", table);
        return Apps.loggingProperties(entries);
    }

    private static List<String> java(Path properties, String... rest) {
        List<String> command = new ArrayList<>(List.of(Apps.JAVA, "-Djava.util.logging.config.file=" + properties));
        command.addAll(List.of(rest));
        return command;
    }

    private List<String> events() throws Exception {
        return db.column("SELECT event FROM " + table + " ORDER BY id");
    }

    @Test
    void plainJulAppOnTheModulePathConfiguredOnlyByLoggingProperties() throws Exception {
        Path app = Apps.compile("app.plain");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        Apps.Run run = Apps.run(java(pureJulProperties(), "--module-path", Apps.path(modulePath),
                "--add-modules", "stogger.postgres", "-m", "app.plain/app.plain.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("plain-done"), run.toString());
        assertEquals(List.of("plain-started", "plain-warning {0}", "system-logger-event"), events(), run.toString());
        assertEquals("plain-warning 42", db.value("SELECT data->>'message' FROM " + table
                + " WHERE event = 'plain-warning {0}'"));
        assertEquals("app.plain.Main.main", db.value("SELECT func FROM " + table + " WHERE event = 'plain-started'"));
        assertEquals("app.system", db.value("SELECT data->>'logger' FROM " + table
                + " WHERE event = 'system-logger-event'"));
    }

    @Test
    void severalProcessesStartingAtOnceOnAFreshTableAllSucceed() throws Exception {
        Path app = Apps.compile("app.plain");
        List<Path> classPath = new ArrayList<>(Apps.libraryJars());
        classPath.add(app);
        Path properties = pureJulProperties();
        int processes = 4;
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            commands.add(java(properties, "-cp", Apps.path(classPath), "app.plain.Main"));
        }
        List<Apps.Run> runs = Apps.runTogether(commands, Map.of());
        for (Apps.Run run : runs) {
            assertEquals(0, run.exitCode(), run.toString());
            assertFalse(run.stderr().contains("stogger.postgres:"), "no start-up failure: " + run);
        }
        assertEquals(3L * processes, db.count(table));
    }

    @Test
    void plainJulAppOnTheClassPathConfiguredOnlyByLoggingProperties() throws Exception {
        Path app = Apps.compile("app.plain");
        List<Path> classPath = new ArrayList<>(Apps.libraryJars());
        classPath.add(app);
        Apps.Run run = Apps.run(java(pureJulProperties(), "-cp", Apps.path(classPath), "app.plain.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("plain-started", "plain-warning {0}", "system-logger-event"), events(), run.toString());
    }

    @Test
    void stoggerInitOnTheModulePathFindsPostgresByServiceBindingAlone() throws Exception {
        Path app = Apps.compile("app.stogger");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        Apps.Run run = Apps.run(java(stoggerProperties(true), "--module-path", Apps.path(modulePath),
                "-m", "app.stogger/app.stogger.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("active=[console, postgres]"), run.toString());
        assertEquals(List.of("stogger-event", "system-logger-warning"), events(), run.toString());
        assertEquals("batch", db.value("SELECT scope FROM " + table + " WHERE event = 'stogger-event'"));
        assertEquals("3", db.value("SELECT data->>'size' FROM " + table + " WHERE event = 'stogger-event'"));
        assertEquals("warning", db.value("SELECT level FROM " + table + " WHERE event = 'system-logger-warning'"));
        assertTrue(run.stderr().contains("info    stogger-event size=3 n=1 scope=batch"), run.toString());
    }

    @Test
    void stoggerInitOnTheClassPath() throws Exception {
        Path app = Apps.compile("app.stogger");
        List<Path> classPath = new ArrayList<>(Apps.libraryJars());
        classPath.add(app);
        Apps.Run run = Apps.run(java(stoggerProperties(true), "-cp", Apps.path(classPath), "app.stogger.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("active=[console, postgres]"), run.toString());
        assertEquals(List.of("stogger-event", "system-logger-warning"), events(), run.toString());
    }

    @Test
    void asyncModeLosesNothingAtANormalExitThroughLogManagersShutdownReset() throws Exception {
        Path app = Apps.compile("app.burst");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "stogger.postgres.PostgresHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.postgres.PostgresHandler.dsn", db.dsn());
        entries.put("stogger.postgres.PostgresHandler.table", table);
        entries.put("stogger.postgres.PostgresHandler.mode", "async");
        entries.put("stogger.postgres.PostgresHandler.queueCapacity", "100000");
        // Batches wait for a full second, so records are still queued when main returns.
        entries.put("stogger.postgres.PostgresHandler.flushIntervalMs", "1000");
        entries.put("stogger.postgres.PostgresHandler.batchSize", "100000");
        Apps.Run run = Apps.run(java(Apps.loggingProperties(entries), "--module-path", Apps.path(modulePath),
                "--add-modules", "stogger.postgres", "-m", "app.burst/app.burst.Main", "20000"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("burst-done 20000"), run.toString());
        assertEquals(20_000, db.count(table), run.toString());
        assertFalse(run.stderr().contains("not written"), run.toString());
    }

    @Test
    void aBurstOf350000RecordsWithDefaultAsyncSettingsBecomesEveryRowAtANormalExit() throws Exception {
        Path app = Apps.compile("app.burst");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "stogger.postgres.PostgresHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.postgres.PostgresHandler.dsn", db.dsn());
        entries.put("stogger.postgres.PostgresHandler.table", table);
        entries.put("stogger.postgres.PostgresHandler.mode", "async");
        Apps.Run run = Apps.run(java(Apps.loggingProperties(entries), "--module-path", Apps.path(modulePath),
                "--add-modules", "stogger.postgres", "-m", "app.burst/app.burst.Main", "350000"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("burst-done 350000"), run.toString());
        assertEquals(350_000, db.count(table), run.toString());
        assertEquals("", run.stderr(), "nothing lost, nothing said");
    }

    @Test
    void theMBeanOfAPlainJulApplicationAgreesWithTheTableAndItsMarkerRows() throws Exception {
        Path app = Apps.compile("app.mbean");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "stogger.postgres.PostgresHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.postgres.PostgresHandler.dsn", db.dsn());
        entries.put("stogger.postgres.PostgresHandler.table", table);
        entries.put("stogger.postgres.PostgresHandler.mode", "async");
        entries.put("stogger.postgres.PostgresHandler.overflow", "drop");
        entries.put("stogger.postgres.PostgresHandler.queueCapacity", "10");
        entries.put("stogger.postgres.PostgresHandler.batchSize", "5");
        Apps.Run run = Apps.run(java(Apps.loggingProperties(entries), "--module-path", Apps.path(modulePath),
                "--add-modules", "stogger.postgres", "-m", "app.mbean/app.mbean.Main", "20000"));
        assertEquals(0, run.exitCode(), run.toString());
        java.util.regex.Matcher bean = java.util.regex.Pattern.compile("mbean stogger:type=PostgresHandler,name=\"?"
                + table + "\"? Written=(\\d+) Dropped=(\\d+) LostQueueFull=(\\d+) Connected=true").matcher(run.stdout());
        assertTrue(bean.find(), run.toString());
        long written = Long.parseLong(bean.group(1));
        long lost = Long.parseLong(bean.group(3));
        assertTrue(lost > 0, "a queue of 10 overflows: " + run);
        assertEquals(20_000, written + lost, run.toString());
        assertEquals(Long.parseLong(bean.group(2)), lost);
        assertEquals(String.valueOf(written), db.value("SELECT count(*) FROM " + table + " WHERE event <> 'records-lost'"));
        assertEquals(String.valueOf(lost), db.value("SELECT sum((data->>'lost')::bigint) FROM " + table
                + " WHERE event = 'records-lost' AND data->>'reason' = 'queue-full'"), run.toString());
        assertTrue(run.stderr().contains("closed; " + lost + " records lost since start (queue-full " + lost + ")"),
                run.toString());
    }

    @Test
    void enabledButStoggerPostgresAbsentKeepsTheConsoleAndSaysWhy() throws Exception {
        Path app = Apps.compile("app.stogger");
        List<Path> modulePath = new ArrayList<>(Apps.coreJars());
        modulePath.add(app);
        Apps.Run run = Apps.run(java(stoggerProperties(true), "--module-path", Apps.path(modulePath),
                "-m", "app.stogger/app.stogger.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("active=[console] skipped=[postgres]"), run.toString());
        assertTrue(run.stderr().contains("stogger: PostgreSQL logging is enabled but the stogger.postgres module is not"
                + " available"), run.toString());
        assertTrue(run.stderr().contains("stogger-event"), "the console target continues: " + run);
        assertTrue(run.stderr().contains("system-logger-warning"), run.toString());
        assertTrue(run.stdout().contains("stogger-done"), run.toString());
        assertFalse(db.column("SELECT 1 FROM pg_tables WHERE tablename = '" + table + "'").size() > 0,
                "no table was created");
    }
}
