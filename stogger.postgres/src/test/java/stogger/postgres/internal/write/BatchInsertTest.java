package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.PostgresRow;
import stogger.core.PostgresRenderer;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.TableName;

/** Both batch statements write awkward text exactly and keep the batch's order. */
class BatchInsertTest {

    private final TestDatabase db = TestDatabase.get();

    private static PostgresRow row(int i, String event, String func) {
        java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.INFO, event);
        record.setInstant(Instant.parse("2026-11-24T12:00:00.123456Z").plusSeconds(i));
        record.setParameters(new Object[] {stogger.core.Fields.of("i", i, "text", "tab\there \\ back\nline \"q\" é 😀")});
        record.setSourceClassName(func);
        record.setSourceMethodName(func == null ? null : "m");
        return new PostgresRenderer().render(record);
    }

    @org.junit.jupiter.api.Test
    void copyIsChosenWhenTheDriversApiIsReachable() throws Exception {
        try (Connection connection = db.connect()) {
            assertTrue(new BatchInsert(new Schema(TableName.parse("unused", "table"))).usesCopy(connection),
                    "module " + BatchInsert.class.getModule() + " reads the driver");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesAwkwardTextExactlyAndInOrder(boolean copy) throws Exception {
        String table = TestDatabase.uniqueTable();
        TableName name = TableName.parse(table, "table");
        Schema schema = new Schema(name);
        try (Connection connection = db.connect()) {
            schema.ensure(connection);
            List<PostgresRow> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rows.add(row(i, i % 2 == 0 ? "ev\\ent\t\r\n" + i : "plain", i % 3 == 0 ? null : "a.B"));
            }
            BatchInsert batch = new BatchInsert(schema, copy);
            assertEquals(copy, batch.usesCopy(connection));
            batch.write(connection, rows);
            assertEquals(List.of("tab\there \\ back\nline \"q\" é 😀"),
                    db.column("SELECT DISTINCT data->>'text' FROM " + table));
            assertEquals("ev\\ent\t\r\n48", db.value("SELECT event FROM " + table + " WHERE (data->>'i')::int = 48"));
            assertEquals("0", db.value("SELECT count(*) FROM (SELECT (data->>'i')::int - lag((data->>'i')::int)"
                    + " OVER (ORDER BY id) AS step FROM " + table + ") s WHERE step <> 1"));
            assertEquals("17", db.value("SELECT count(*) FROM " + table + " WHERE func IS NULL"));
            assertEquals("t", db.value("SELECT min(timestamp) = '2026-11-24T12:00:00.123456Z'::timestamptz FROM "
                    + table));
            assertTrue(db.count(table) == 50);
        } finally {
            db.drop(table);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBatchOfSeveralHundredRowsArrivesWholeAndInOrder(boolean copy) throws Exception {
        String table = TestDatabase.uniqueTable();
        Schema schema = new Schema(TableName.parse(table, "table"));
        try (Connection connection = db.connect()) {
            schema.ensure(connection);
            List<PostgresRow> rows = new ArrayList<>();
            for (int i = 0; i < 333; i++) {
                rows.add(row(i, "e" + i, "a.B"));
            }
            new BatchInsert(schema, copy).write(connection, rows);
            assertEquals(333, db.count(table));
            assertEquals("0", db.value("SELECT count(*) FROM (SELECT (data->>'i')::int AS i, row_number() OVER"
                    + " (ORDER BY id) - 1 AS n FROM " + table + ") s WHERE i <> n OR n IS NULL"));
            assertEquals("e332", db.value("SELECT event FROM " + table + " ORDER BY id DESC LIMIT 1"));
        } finally {
            db.drop(table);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRejectedBatchWritesNoRowAndLeavesTheConnectionUsable(boolean copy) throws Exception {
        String table = TestDatabase.uniqueTable();
        Schema schema = new Schema(TableName.parse(table, "table"));
        try (Connection connection = db.connect()) {
            schema.ensure(connection);
            db.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_bad CHECK (event <> 'bad')");
            List<PostgresRow> rows = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                rows.add(row(i, i == 140 ? "bad" : "good", "a.B"));
            }
            BatchInsert batch = new BatchInsert(schema, copy);
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> batch.write(connection, rows));
            assertEquals("23514", e.getSQLState(), e.toString());
            assertEquals(0, db.count(table));
            batch.write(connection, rows.subList(0, 140));
            assertEquals(140, db.count(table));
        } finally {
            db.drop(table);
        }
    }
}
