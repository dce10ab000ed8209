package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The table's four indexes by name (README: The table): the Python edition's names, so a table
 * either edition created gets no second set; all four also for a table name of PostgreSQL's full
 * 63 characters, where the plain names would be cut to one and the same identifier.
 */
class IndexNamesTest {

    private final TestDatabase db = TestDatabase.get();
    private String table = TestDatabase.uniqueTable();

    @AfterEach
    void cleanUp() throws Exception {
        db.drop(table);
    }

    private List<String> indexes() throws Exception {
        return db.column("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '"
                + table + "' AND indexname NOT LIKE '%_pkey' ORDER BY indexname");
    }

    private void startLogAndClose(String event) {
        PostgresHandler handler = new PostgresHandler(PostgresSettings.builder().dsn(db.dsn()).table(table).build());
        try {
            handler.publish(new LogRecord(Level.INFO, event));
        } finally {
            handler.close();
        }
        assertEquals(1, handler.stats().written(), event);
    }

    @Test
    void aTableOfThePythonEditionGetsNoSecondSetOfIndexes() throws Exception {
        db.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, timestamp TIMESTAMPTZ NOT NULL,"
                + " level TEXT NOT NULL, event TEXT NOT NULL, func TEXT, scope TEXT, data JSONB NOT NULL DEFAULT '{}')");
        for (String index : new String[] {"timestamp", "level", "event"}) {
            db.execute("CREATE INDEX idx_" + table + "_" + index + " ON " + table + " (" + index + ")");
        }
        db.execute("CREATE INDEX idx_" + table + "_data ON " + table + " USING GIN (data)");
        List<String> before = indexes();
        startLogAndClose("java");
        assertEquals(before, indexes());
        assertEquals(1, db.count(table));
    }

    @Test
    void aMissingIndexIsCreatedAtTheNextStart() throws Exception {
        startLogAndClose("first");
        List<String> all = indexes();
        assertEquals(List.of("idx_" + table + "_data", "idx_" + table + "_event", "idx_" + table + "_level",
                "idx_" + table + "_timestamp"), all);
        db.execute("DROP INDEX idx_" + table + "_level");
        startLogAndClose("second");
        assertEquals(all, indexes());
        assertEquals(2, db.count(table));
    }

    @Test
    void aTableNameOf63CharactersGetsFourIndexesOnceEach() throws Exception {
        table = "t" + "x".repeat(44) + TestDatabase.uniqueTable();
        assertEquals(63, table.length());
        startLogAndClose("first");
        List<String> names = indexes();
        assertEquals(4, names.size(), names.toString());
        assertEquals(List.of("gin", "btree", "btree", "btree"), db.column("SELECT am.amname FROM pg_index x"
                + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam"
                + " WHERE x.indrelid = '" + table + "'::regclass AND NOT x.indisprimary ORDER BY am.amname DESC"));
        for (String name : names) {
            assertTrue(name.length() <= 63, name);
        }
        startLogAndClose("second");
        assertEquals(names, indexes(), "a restart creates no further index");
    }
}
