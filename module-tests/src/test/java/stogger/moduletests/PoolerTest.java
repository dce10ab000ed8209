package stogger.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.TestDatabase;

/** Several plain JUL applications write through PgBouncer in transaction pooling mode, sync and async. */
class PoolerTest {

    private static final int RECORDS = 1_000;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();

    @AfterEach
    void dropTable() throws Exception {
        db.drop(table);
    }

    private Path properties(int bouncerPort, String mode) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handlers", "stogger.postgres.PostgresHandler");
        entries.put(".level", "INFO");
        entries.put("stogger.postgres.PostgresHandler.dsn", db.dsnAt("127.0.0.1", bouncerPort));
        entries.put("stogger.postgres.PostgresHandler.table", table);
        entries.put("stogger.postgres.PostgresHandler.pooler", "transaction");
        entries.put("stogger.postgres.PostgresHandler.mode", mode);
        return Apps.loggingProperties(entries);
    }

    @Test
    void eightJvmsThroughATransactionPoolerOfTwoWriteEveryRecordOnce() throws Exception {
        Path app = Apps.compile("app.seq");
        List<Path> modulePath = new ArrayList<>(Apps.libraryJars());
        modulePath.add(app);
        // The table exists before the clients start, as in production; its creation is tested elsewhere.
        db.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, timestamp TIMESTAMPTZ NOT NULL, level TEXT"
                + " NOT NULL, event TEXT NOT NULL, func TEXT, scope TEXT, data JSONB NOT NULL DEFAULT '{}')");
        try (PgBouncer bouncer = PgBouncer.start(db.host(), db.port(), 2)) {
            List<List<String>> commands = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                Path conf = properties(bouncer.port(), worker < 4 ? "sync" : "async");
                commands.add(List.of(Apps.JAVA, "-Djava.util.logging.config.file=" + conf, "--module-path",
                        Apps.path(modulePath), "--add-modules", "stogger.postgres", "-m", "app.seq/app.seq.Main",
                        Integer.toString(worker), Integer.toString(RECORDS)));
            }
            List<Apps.Run> runs = Apps.runTogether(commands, Map.of());
            for (Apps.Run run : runs) {
                assertEquals(0, run.exitCode(), run.toString());
                assertTrue(run.stdout().contains("seq-done"), run.toString());
                assertTrue(run.stderr().lines().allMatch(l -> l.startsWith("stogger.postgres: pooler = transaction:")),
                        "nothing lost, nothing else said: " + run + "\n" + bouncer.log());
            }
        }
        assertEquals(8L * RECORDS, db.count(table));
        assertEquals(String.valueOf(8L * RECORDS), db.value("SELECT count(DISTINCT (data->>'worker', data->>'seq'))"
                + " FROM " + table));
        assertEquals("0", db.value("SELECT count(*) FROM " + table + " WHERE event = 'records-lost'"));
    }
}
