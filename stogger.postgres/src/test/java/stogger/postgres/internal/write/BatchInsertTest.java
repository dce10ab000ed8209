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
                rows.add(row(i, i % 2 == 0 ? "ev\\ent\t" + i : "plain", i % 3 == 0 ? null : "a.B"));
            }
            BatchInsert batch = new BatchInsert(schema, copy);
            assertEquals(copy, batch.usesCopy(connection));
            batch.write(connection, rows);
            assertEquals(List.of("tab\there \\ back\nline \"q\" é 😀"),
                    db.column("SELECT DISTINCT data->>'text' FROM " + table));
            assertEquals("ev\\ent\t48", db.value("SELECT event FROM " + table + " WHERE (data->>'i')::int = 48"));
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
}
