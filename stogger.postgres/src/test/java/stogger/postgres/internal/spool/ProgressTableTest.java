package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.TableName;

/** The progress table: created when allowed, else a reason; the position moves only from where it was. */
class ProgressTableTest {

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final String schema = "s_" + table;
    private final String role = "r_" + table;
    private final ProgressTable progress = new ProgressTable(TableName.parse(table, "table"), true, 5000);

    @AfterEach
    void cleanUp() throws Exception {
        db.drop(table + "_spool");
        db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        db.execute("DROP ROLE IF EXISTS " + role);
    }

    private static void run(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void theTableIsNamedAfterTheLogTable() {
        assertEquals(table + "_spool", progress.name().toString());
    }

    @Test
    void checkCreatesTheMissingTableCommittedAndThenFindsItUsable() throws Exception {
        try (Connection connection = db.connect()) {
            assertNull(progress.check(connection));
            assertTrue(connection.getAutoCommit());
            assertEquals("t", db.value("SELECT to_regclass('" + table + "_spool') IS NOT NULL"), "seen by others");
            assertNull(progress.check(connection));
        }
    }

    @Test
    void withoutCreateTableAMissingTableIsAReasonWithTheStatementToRun() throws Exception {
        try (Connection connection = db.connect()) {
            String why = new ProgressTable(TableName.parse(table, "table"), false, 5000).check(connection);
            assertEquals("createTable = false and " + table + "_spool does not exist (run as an owner: "
                    + progress.createSql() + ")", why);
            assertEquals("f", db.value("SELECT to_regclass('" + table + "_spool') IS NOT NULL"));
        }
    }

    @Test
    void aRoleThatMayOnlyReadTheTableIsToldWhatToGrant() throws Exception {
        db.execute("CREATE ROLE " + role + " NOLOGIN");
        try (Connection connection = db.connect()) {
            assertNull(progress.check(connection));
            run(connection, "GRANT SELECT ON " + table + "_spool TO " + role);
            run(connection, "SET ROLE " + role);
            String why = progress.check(connection);
            run(connection, "RESET ROLE");
            assertTrue(why != null && why.contains("GRANT SELECT, INSERT, UPDATE ON \"" + table + "_spool\" TO <role>"),
                    why);
        }
        db.execute("REVOKE ALL ON " + table + "_spool FROM " + role);
    }

    @Test
    void aRoleThatCannotCreateTheTableGetsTheServersReasonAndAUsableConnection() throws Exception {
        db.execute("CREATE ROLE " + role + " NOLOGIN");
        db.execute("CREATE SCHEMA " + schema);
        db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        ProgressTable inSchema = new ProgressTable(TableName.parse(schema + "." + table, "table"), true, 5000);
        try (Connection connection = db.connect()) {
            run(connection, "SET ROLE " + role);
            String why = inSchema.check(connection);
            assertTrue(why != null && why.startsWith("the role cannot create " + schema + "." + table + "_spool: ")
                    && why.contains("SQLState 42501"), why);
            assertTrue(connection.getAutoCommit());
            run(connection, "RESET ROLE");
        }
    }

    @Test
    void thePositionMovesOnlyFromWhereItIsAndTheLiveBatchIsKeptBesideIt() throws Exception {
        try (Connection connection = db.connect()) {
            assertNull(progress.check(connection));
            assertEquals(SpoolPosition.START, progress.read(connection, "a"));
            assertNull(progress.readLive(connection, "a"), "no row");
            SpoolPosition first = new SpoolPosition(3, 120);
            assertTrue(progress.write(connection, "a", SpoolPosition.START, first));
            assertEquals(first, progress.read(connection, "a"));
            assertNull(progress.readLive(connection, "a"), "a row without a live batch");
            assertFalse(progress.write(connection, "a", SpoolPosition.START, new SpoolPosition(4, 0)),
                    "a write whose outcome was unknown committed after all");
            assertEquals(first, progress.read(connection, "a"));
            progress.writeLive(connection, "a", 42);
            assertEquals(42L, progress.readLive(connection, "a"));
            assertEquals(first, progress.read(connection, "a"), "the live batch leaves the position alone");
            assertEquals(SpoolPosition.START, progress.read(connection, "b"));
        }
    }
}
