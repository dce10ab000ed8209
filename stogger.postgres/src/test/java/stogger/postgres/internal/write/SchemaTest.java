package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.TestDatabase;
import stogger.postgres.internal.config.TableName;

/**
 * Least privilege: {@link Schema#ensure} looks in the catalog before it creates anything, runs
 * DDL only for what is missing, never waits long for a lock, and says what an owner must run
 * when it cannot create the table.
 */
class SchemaTest {

    /** Only keeps a broken test from hanging; the DDL itself is bounded by 300 ms. */
    private static final long GENEROUS_SECONDS = 10;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();
    private final TableName name = TableName.parse(table, "table");
    private final List<AutoCloseable> cleanUp = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws Exception {
        executor.shutdownNow();
        for (int i = cleanUp.size() - 1; i >= 0; i--) {
            cleanUp.get(i).close();
        }
        db.drop(table);
    }

    private TestRole role() throws SQLException {
        TestRole role = TestRole.create(db);
        cleanUp.add(role);
        return role;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanUp.add(resource);
        return resource;
    }

    /** The table and its four indexes, created by the superuser (the owner). */
    private void createAsOwner() throws SQLException {
        try (Connection owner = db.connect()) {
            new Schema(name).ensure(owner);
        }
    }

    private List<String> indexes() throws SQLException {
        return db.column("SELECT indexname FROM pg_indexes WHERE tablename = '" + table + "' AND indexname <> '"
                + table + "_pkey' ORDER BY indexname");
    }

    private boolean tableExists() throws SQLException {
        return db.value("SELECT to_regclass('public." + table + "') IS NOT NULL").equals("t");
    }

    private static void insert(Schema schema, Connection connection, String event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(schema.sql().insert())) {
            int p = 1;
            for (Column column : Column.values()) {
                insert.setString(p++, switch (column) {
                    case TIMESTAMP -> "2026-11-24T12:00:00Z";
                    case LEVEL -> "INFO";
                    case EVENT -> event;
                    case DATA -> "{}";
                    default -> null;
                });
            }
            assertEquals(1, insert.executeUpdate());
        }
    }

    private static void runAsOwner(Connection owner, List<String> statements) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Runs ensure on another thread and waits for it at most {@link #GENEROUS_SECONDS}. */
    private void ensureWithin(Schema schema, Connection connection) throws Exception {
        Future<?> done = executor.submit(() -> {
            schema.ensure(connection);
            return null;
        });
        try {
            done.get(GENEROUS_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A connection of the superuser holding a lock in an open transaction; rolled back after the test. */
    private Connection holding(String sql) throws SQLException {
        Connection holder = closeLater(db.connect());
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute(sql);
        }
        return holder;
    }

    @Test
    void anInsertOnlyRoleNeedsNoDdlAndTakesNoLock() throws Exception {
        createAsOwner();
        TestRole role = role();
        role.grantInsertOnly(table);
        assertFalse(role.mayCreateIn("public"), "premise: the role may not create in public");
        try (Connection c = role.connect(); Statement s = c.createStatement()) {
            // Premise: what the schema used to run on every connection fails for this role.
            SQLException ddl = assertThrows(SQLException.class, () -> s.execute(new Schema(name).sql().createIndexes().get(0)));
            assertEquals("42501", ddl.getSQLState(), ddl.getMessage());
        }
        // Someone holds the advisory lock the DDL transaction would take: a look-only ensure never asks for it.
        holding("SELECT pg_advisory_xact_lock(hashtext('stogger:" + table + "'))");
        Schema schema = new Schema(name, true, 300);
        try (Connection c = role.connect()) {
            ensureWithin(schema, c);
            assertNull(schema.lastWarning());
            assertTrue(c.getAutoCommit(), "autocommit is left on");
            insert(schema, c, "insert-only");
        }
        assertEquals(List.of("insert-only"), db.column("SELECT event FROM " + table));
        assertEquals(4, indexes().size());
    }

    @Test
    void createTableFalseOnAMissingTableSaysWhatToRunAndRunsNoDdl() throws Exception {
        TestRole role = role();
        Schema schema = new Schema(name, false, 300);
        SchemaUnavailableException e;
        try (Connection c = role.connect()) {
            e = assertThrows(SchemaUnavailableException.class, () -> schema.ensure(c));
            assertTrue(c.getAutoCommit());
        }
        System.out.println("createTable = false: " + e.getMessage());
        assertEquals("42P01", e.getSQLState());
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith("log table " + table + " is missing and role " + role.name()), message);
        assertTrue(message.contains("createTable = false"), message);
        assertTrue(message.contains("CREATE TABLE IF NOT EXISTS \"public\".\"" + table + "\" (id BIGSERIAL"), message);
        assertEquals(5, e.ddl().size(), e.ddl().toString());
        assertTrue(e.ddl().get(0).startsWith("CREATE TABLE IF NOT EXISTS"), e.ddl().toString());
        assertEquals(4, e.ddl().stream().filter(s -> s.startsWith("CREATE INDEX IF NOT EXISTS")).count());
        for (String statement : e.ddl()) {
            assertTrue(message.contains(statement), statement);
        }
        assertEquals(List.of("GRANT INSERT ON \"public\".\"" + table + "\" TO \"" + role.name() + "\"",
                "GRANT USAGE ON SEQUENCE \"public\".\"" + table + "_id_seq\" TO \"" + role.name() + "\""), e.grants());
        assertFalse(tableExists(), "no DDL ran");

        // Not even a superuser creates anything with createTable = false.
        try (Connection owner = db.connect()) {
            SchemaUnavailableException asOwner = assertThrows(SchemaUnavailableException.class,
                    () -> schema.ensure(owner));
            assertEquals("42P01", asOwner.getSQLState());
            assertEquals(List.of(), asOwner.grants(), "a superuser needs no grants");
            assertFalse(tableExists(), "no DDL ran");
            runAsOwner(owner, e.ddl());
            runAsOwner(owner, e.grants());
        }
        try (Connection c = role.connect()) {
            schema.ensure(c);
            assertNull(schema.lastWarning());
            insert(schema, c, "after-the-owner");
        }
        assertEquals(1, db.count(table));
        assertEquals(4, indexes().size());
    }

    @Test
    void aRoleThatMayNotCreateTheTableGetsTheServersReasonAndTheDdl() throws Exception {
        TestRole role = role();
        assertFalse(role.mayCreateIn("public"), "premise: the role may not create in public");
        Schema schema = new Schema(name, true, 300);
        SchemaUnavailableException e;
        try (Connection c = role.connect()) {
            e = assertThrows(SchemaUnavailableException.class, () -> schema.ensure(c));
            assertTrue(c.getAutoCommit(), "autocommit restored after the failed DDL");
            // The session is still usable: no transaction left aborted.
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
        }
        System.out.println("no CREATE privilege: " + e.getMessage());
        assertEquals("42501", e.getSQLState());
        assertNotNull(e.getCause());
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith("log table " + table + " is missing and role " + role.name()
                + " cannot create it: ERROR: permission denied for schema public (SQLState 42501); run as an owner: "
                + "CREATE TABLE IF NOT EXISTS"), message);
        assertFalse(tableExists());
        try (Connection owner = db.connect()) {
            runAsOwner(owner, e.ddl());
            runAsOwner(owner, e.grants());
        }
        try (Connection c = role.connect()) {
            schema.ensure(c);
            assertNull(schema.lastWarning());
            insert(schema, c, "after-the-owner");
        }
        assertEquals(1, db.count(table));
        assertEquals(4, indexes().size());
    }

    @Test
    void aMissingSchemaIsPartOfTheDdl() throws Exception {
        String schemaName = "s_" + table;
        closeLater(() -> db.execute("DROP SCHEMA IF EXISTS " + schemaName + " CASCADE"));
        TableName qualified = TableName.parse(schemaName + ".events", "table");
        TestRole role = role();
        Schema schema = new Schema(qualified, false, 300);
        SchemaUnavailableException e;
        try (Connection c = role.connect()) {
            e = assertThrows(SchemaUnavailableException.class, () -> schema.ensure(c));
        }
        System.out.println("missing schema: " + e.getMessage());
        assertEquals("CREATE SCHEMA IF NOT EXISTS \"" + schemaName + "\"", e.ddl().get(0));
        assertTrue(e.ddl().get(1).startsWith("CREATE TABLE IF NOT EXISTS \"" + schemaName + "\".\"events\""));
        assertEquals("GRANT USAGE ON SCHEMA \"" + schemaName + "\" TO \"" + role.name() + "\"", e.grants().get(0));
        try (Connection owner = db.connect()) {
            runAsOwner(owner, e.ddl());
            runAsOwner(owner, e.grants());
        }
        try (Connection c = role.connect()) {
            schema.ensure(c);
            assertNull(schema.lastWarning());
            insert(schema, c, "in-its-schema");
        }
        assertEquals(1, db.count(schemaName + ".events"));
    }

    @Test
    void aSchemaTheRoleMayNotUseNamesTheGrant() throws Exception {
        String schemaName = "s_" + table;
        closeLater(() -> db.execute("DROP SCHEMA IF EXISTS " + schemaName + " CASCADE"));
        db.execute("CREATE SCHEMA " + schemaName);
        TableName qualified = TableName.parse(schemaName + ".events", "table");
        TestRole role = role();
        try (Connection c = role.connect()) {
            SchemaUnavailableException e = assertThrows(SchemaUnavailableException.class,
                    () -> new Schema(qualified).ensure(c));
            System.out.println("schema without USAGE: " + e.getMessage());
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().startsWith("log table " + qualified + " cannot be looked up by role "
                    + role.name()), e.getMessage());
            assertEquals(List.of("GRANT USAGE ON SCHEMA \"" + schemaName + "\" TO \"" + role.name() + "\""),
                    e.grants());
        }
    }

    @Test
    void aMissingIndexThatCannotBeCreatedOnlyWarns() throws Exception {
        createAsOwner();
        String missing = "idx_" + table + "_data";
        db.execute("DROP INDEX " + missing);
        TestRole role = role();
        role.grantInsertOnly(table);
        Schema schema = new Schema(name, true, 300);
        try (Connection c = role.connect()) {
            schema.ensure(c);
            String warning = schema.lastWarning();
            System.out.println("index, no privilege: " + warning);
            assertNotNull(warning, "the missing index is told");
            assertFalse(warning.contains("\n"), warning);
            assertTrue(warning.startsWith("log table " + table + " lacks index \"" + missing + "\" and role "
                    + role.name() + " cannot create it: ERROR: must be owner of table " + table), warning);
            assertTrue(warning.endsWith("run as an owner: CREATE INDEX IF NOT EXISTS \"" + missing + "\" ON \"public\".\""
                    + table + "\" USING GIN (data)"), warning);
            assertTrue(c.getAutoCommit());
            insert(schema, c, "without-the-index");

            Schema noDdl = new Schema(name, false, 300);
            noDdl.ensure(c);
            assertTrue(noDdl.lastWarning().contains(": createTable = false; "), noDdl.lastWarning());
        }
        assertEquals(1, db.count(table));
        assertEquals(3, indexes().size());
        try (Connection owner = db.connect()) {
            new Schema(name).ensure(owner);
        }
        assertEquals(4, indexes().size(), "the owner creates only the missing index");
        try (Connection c = role.connect()) {
            schema.ensure(c);
            assertNull(schema.lastWarning(), "a later ensure that finds everything clears the warning");
        }
    }

    @Test
    void ddlOnALockedTableGivesUpAfterTheLockTimeout() throws Exception {
        createAsOwner();
        String missing = "idx_" + table + "_level";
        db.execute("DROP INDEX " + missing);
        Connection holder = holding("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        Schema schema = new Schema(name, true, 300);
        try (Connection owner = db.connect()) {
            ensureWithin(schema, owner);
            String warning = schema.lastWarning();
            System.out.println("index, locked table: " + warning);
            assertNotNull(warning);
            assertTrue(warning.contains("canceling statement due to"), warning);
            assertTrue(warning.contains("timeout"), warning);
            assertTrue(warning.contains("CREATE INDEX IF NOT EXISTS \"" + missing + "\""), warning);
            assertTrue(owner.getAutoCommit());
            holder.rollback();
            schema.ensure(owner);
            assertNull(schema.lastWarning());
        }
        assertEquals(4, indexes().size());
    }

    @Test
    void aMissingTableWhoseDdlMustWaitFailsAfterTheLockTimeout() throws Exception {
        Connection holder = holding("SELECT pg_advisory_xact_lock(hashtext('stogger:" + table + "'))");
        Schema schema = new Schema(name, true, 300);
        try (Connection owner = db.connect()) {
            SchemaUnavailableException e = assertThrows(SchemaUnavailableException.class,
                    () -> ensureWithin(schema, owner));
            System.out.println("table, lock held: " + e.getMessage());
            assertTrue(List.of("55P03", "57014").contains(e.getSQLState()), e.getSQLState());
            assertTrue(e.getMessage().contains("canceling statement due to"), e.getMessage());
            assertTrue(owner.getAutoCommit());
            assertFalse(tableExists());
            holder.rollback();
            schema.ensure(owner);
        }
        assertTrue(tableExists());
        assertEquals(4, indexes().size());
    }

    @Test
    void nothingMissingMeansNoWaitOnALockedTable() throws Exception {
        createAsOwner();
        holding("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        // A minute of lock timeout: only the generous wait in ensureWithin ends a look that blocks.
        Schema schema = new Schema(name, true, 60_000);
        try (Connection owner = db.connect()) {
            ensureWithin(schema, owner);
            assertNull(schema.lastWarning());
        }
    }

    @Test
    void severalEnsuresAtOnceOnAFreshTableAllSucceed() throws Exception {
        int starters = 8;
        List<Future<?>> started = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < starters; i++) {
            connections.add(closeLater(db.connect()));
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (Connection c : connections) {
            started.add(executor.submit(() -> {
                go.await();
                Schema schema = new Schema(name);
                schema.ensure(c);
                return schema.lastWarning();
            }));
        }
        go.countDown();
        for (Future<?> f : started) {
            assertNull(f.get(GENEROUS_SECONDS * 3, TimeUnit.SECONDS));
        }
        assertTrue(tableExists());
        assertEquals(4, indexes().size());
    }
}
