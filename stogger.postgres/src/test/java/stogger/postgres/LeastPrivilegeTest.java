package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.Fields;
import stogger.postgres.internal.config.TableName;
import stogger.postgres.internal.write.Schema;
import stogger.postgres.internal.write.TestRole;

/**
 * The handler with the least privilege that can log: a role with INSERT on an existing table (and
 * USAGE on its sequence) writes every record; with {@code createTable = false} a missing table is
 * reported with the DDL to run, and rows follow as soon as an owner has created it.
 */
class LeastPrivilegeTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private final HandlerFixture fixture = new HandlerFixture();
    private final TestDatabase db = fixture.db;
    private final String table = fixture.table;
    private final Logger logger = fixture.logger;
    private final List<TestRole> roles = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
        for (TestRole role : roles) {
            role.close();
        }
    }

    private TestRole role() throws SQLException {
        TestRole role = TestRole.create(db);
        roles.add(role);
        return role;
    }

    private PostgresSettings.Builder settings(TestRole role, String mode) {
        return PostgresSettings.builder().dsn(role.dsn()).table(table).mode(mode).retryInitialMs(50).retryMaxMs(200);
    }

    /** The table and its four indexes, created by the superuser (the owner). */
    private void createAsOwner() throws SQLException {
        try (Connection owner = db.connect()) {
            new Schema(TableName.parse(table, "table")).ensure(owner);
        }
    }

    private LongSupplier rows() {
        return rows("");
    }

    /** The rows of the table that match {@code where}; -1 while the table does not exist. */
    private LongSupplier rows(String where) {
        return () -> {
            try {
                return db.count(table + where);
            } catch (SQLException e) {
                return -1; // the table does not exist yet
            }
        };
    }

    private boolean tableExists() throws SQLException {
        return db.value("SELECT to_regclass('public." + table + "') IS NOT NULL").equals("t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void anInsertOnlyRoleWritesEveryRecord(String mode) throws Exception {
        createAsOwner();
        TestRole role = role();
        role.grantInsertOnly(table);
        assertFalse(role.mayCreateIn("public"), "premise: the role may not create in public");
        int records = 50;
        PostgresHandler[] handler = new PostgresHandler[1];
        String stderr = TestSupport.captureStderr(() -> {
            handler[0] = fixture.attach(settings(role, mode));
            for (int i = 0; i < records; i++) {
                logger.info(() -> "insert-only");
                logger.log(java.util.logging.Level.INFO, "seq", Fields.of("seq", 0));
            }
            handler[0].flush();
            LongSupplier rows = rows();
            TestSupport.awaitUntil(() -> rows.getAsLong() == 2L * records, GENEROUS,
                    () -> rows.getAsLong() + " rows");
        });
        assertEquals(2L * records, handler[0].stats().written());
        assertEquals(0, handler[0].stats().lost(), handler[0].stats().toString());
        assertTrue(Integer.parseInt(db.value("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                + role.name() + "'")) > 0, "the handler is connected as the role");
        assertFalse(stderr.contains("cannot"), stderr);
        assertFalse(stderr.contains("permission denied"), stderr);
        assertEquals(4, Integer.parseInt(db.value("SELECT count(*) FROM pg_indexes WHERE tablename = '" + table
                + "' AND indexname LIKE 'idx_%'")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void aMissingIndexDoesNotStopAnInsertOnlyRole(String mode) throws Exception {
        createAsOwner();
        db.execute("DROP INDEX idx_" + table + "_event");
        TestRole role = role();
        role.grantInsertOnly(table);
        PostgresHandler[] handler = new PostgresHandler[1];
        String stderr = TestSupport.captureStderr(() -> {
            handler[0] = fixture.attach(settings(role, mode));
            for (int i = 0; i < 10; i++) {
                logger.info("no-event-index");
            }
            handler[0].flush();
        });
        LongSupplier rows = rows();
        TestSupport.awaitUntil(() -> rows.getAsLong() == 10, GENEROUS, () -> rows.getAsLong() + " rows");
        assertEquals(10, handler[0].stats().written());
        // Told once, with what to run, and logging goes on.
        assertEquals(1, stderr.lines().filter(l -> l.contains("lacks index \"idx_" + table + "_event\"")
                && l.contains("CREATE INDEX IF NOT EXISTS")).count(), stderr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void createTableFalseReportsTheMissingTableThenWritesOnceAnOwnerCreatedIt(String mode) throws Exception {
        TestRole role = role();
        PostgresHandler[] handler = new PostgresHandler[1];
        String stderr = TestSupport.captureStderr(soFar -> {
            handler[0] = fixture.attach(settings(role, mode).createTable(false));
            logger.info("before-the-table");
            TestSupport.awaitUntil(() -> soFar.get().contains("log table " + table), GENEROUS,
                    () -> "a line naming the table; stderr so far: " + soFar.get());
            assertFalse(tableExists(), "createTable = false runs no DDL");
            createAsOwner();
            role.grantInsertOnly(table);
            LongSupplier after = rows(" WHERE event = 'after-the-table'");
            TestSupport.awaitUntil(() -> {
                logger.info("after-the-table");
                return after.getAsLong() > 0;
            }, GENEROUS, () -> after.getAsLong() + " rows; stderr so far: " + soFar.get());
        });
        System.out.println("createTable = false, " + mode + ":\n" + stderr);
        String line = stderr.lines().filter(l -> l.contains("log table " + table)).findFirst().orElseThrow();
        assertTrue(line.contains("log table " + table + " is missing and role " + role.name()
                + " cannot create it: createTable = false"), line);
        assertTrue(line.contains("; run as an owner: CREATE TABLE IF NOT EXISTS \"public\".\"" + table + "\""), line);
        assertTrue(line.contains("GRANT INSERT ON \"public\".\"" + table + "\" TO \"" + role.name() + "\""), line);
        assertTrue(handler[0].stats().written() > 0);
    }
}
