package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.Fields;

/**
 * Failover through the DSN, against real servers: a second server of the test's own that is
 * read-only by default (as a standby appears to {@code target_session_attrs}) listed before the
 * shared test server, and a server that turns read-only while the handler writes to it. Rows are
 * told apart by a sequence number the test logs ({@code data.seq}).
 */
class FailoverTest {

    private static TestServers.Server readOnly;

    @BeforeAll
    static void startReadOnlyServer() throws Exception {
        readOnly = TestServers.server().readOnly().start();
        assertEquals("on", readOnly.value("SHOW transaction_read_only"), "the first host must be read-only");
    }

    @AfterAll
    static void stopReadOnlyServer() {
        if (readOnly != null) {
            readOnly.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"read-write", "primary"})
    void aUriWithAReadOnlyFirstHostWritesEveryRowToTheWritableSecond(String attrs) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            TestDatabase db = fixture.db;
            String dsn = "postgresql://" + readOnly.user() + "@" + readOnly.host() + ":" + readOnly.port() + ","
                    + db.host() + ":" + db.port() + "/" + readOnly.database() + "?target_session_attrs=" + attrs;
            assertRowsLandOnTheSharedServerOnly(fixture, dsn);
        }
    }

    @Test
    void keyValueWithAReadOnlyFirstHostWritesEveryRowToTheWritableSecond() throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            TestDatabase db = fixture.db;
            String dsn = "host=" + readOnly.host() + "," + db.host() + " port=" + readOnly.port() + "," + db.port()
                    + " dbname=" + readOnly.database() + " user=" + readOnly.user()
                    + " target_session_attrs=read-write";
            assertRowsLandOnTheSharedServerOnly(fixture, dsn);
        }
    }

    @Test
    void withoutTargetSessionAttrsTheReadOnlyFirstHostTakesTheSessionAndNothingIsWritten() throws Exception {
        // The control for the tests above: the first host really is chosen when nothing says otherwise.
        try (HandlerFixture fixture = new HandlerFixture()) {
            TestDatabase db = fixture.db;
            String dsn = "postgresql://" + readOnly.user() + "@" + readOnly.host() + ":" + readOnly.port() + ","
                    + db.host() + ":" + db.port() + "/" + readOnly.database();
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(dsn).table(fixture.table));
                log(fixture, 0, 5);
                assertEquals(0, handler.stats().written(), handler.stats().toString());
                handler.close();
            });
            assertEquals(List.of(), sequence(db, fixture.table));
            assertFalse(readOnly.hasTable(fixture.table));
            assertTrue(stderr.contains("read-only transaction"), stderr);
        }
    }

    /**
     * A failover: the server the handler writes to turns read-only. With {@code terminate} its
     * session is ended too (as a real failover ends it: 57P01); without, the session lives on and
     * its next write is refused as read-only (25006), which also makes the handler replace it.
     */
    @ParameterizedTest(name = "terminate the session: {0}")
    @ValueSource(booleans = {true, false})
    void aServerThatTurnsReadOnlyMidStreamLosesTheSessionAndRowsResumeOnTheWritableHost(boolean terminate)
            throws Exception {
        try (TestServers.Server first = TestServers.server().start(); HandlerFixture fixture = new HandlerFixture()) {
            TestDatabase db = fixture.db;
            String application = "failover-" + fixture.table;
            String dsn = "postgresql://" + first.user() + "@" + first.host() + ":" + first.port() + "," + db.host()
                    + ":" + db.port() + "/" + first.database() + "?target_session_attrs=read-write&application_name="
                    + application;
            List<Integer> resumed = new ArrayList<>();
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(dsn).table(fixture.table));
                log(fixture, 0, 10);
                assertEquals(range(0, 10), sequence(first, fixture.table), "the writable first host takes the rows");
                assertEquals(List.of(), sequence(db, fixture.table));

                // The failover: the server turns read-only, and the handler's session ends.
                first.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                first.execute("SELECT pg_reload_conf()");
                TestSupport.awaitUntil(() -> "on".equals(query(() -> first.value("SHOW default_transaction_read_only"))),
                        Duration.ofSeconds(30), () -> "the reloaded configuration");
                if (terminate) {
                    assertEquals("1", first.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE application_name = '" + application + "'"), "the handler's session");
                }

                // Records logged while the handler finds the new primary may be dropped (sync mode);
                // keep logging until rows land on the shared server.
                int next = 10;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sequence(db, fixture.table).isEmpty()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("no row reached the writable host within 60 s; stats "
                                + handler.stats() + "; log of the first host: " + first.logTail());
                    }
                    log(fixture, next, next + 1);
                    next++;
                    Thread.sleep(50);
                }
                log(fixture, next, next + 10);
                resumed.addAll(range(next, next + 10));
                assertEquals(sequence(first, fixture.table).size() + sequence(db, fixture.table).size(),
                        handler.stats().written(), handler.stats().toString());
                handler.close();
            });
            List<Integer> onFirst = sequence(first, fixture.table);
            List<Integer> onShared = sequence(db, fixture.table);
            assertEquals(range(0, 10), onFirst, "nothing more on the server once it is read-only");
            assertTrue(onShared.containsAll(resumed), "every record after the switch: " + onShared);
            Set<Integer> both = new HashSet<>(onFirst);
            both.retainAll(onShared);
            assertEquals(Set.of(), both, "no record on both servers");
            assertEquals(onShared.size(), new HashSet<>(onShared).size(), "no record twice: " + onShared);
            assertTrue(stderr.contains(terminate ? "[SQLState 57P01]" : "[SQLState 25006]"), stderr);
        }
    }

    /** Logs through a handler whose DSN lists the read-only server first; checks where the rows are. */
    private static void assertRowsLandOnTheSharedServerOnly(HandlerFixture fixture, String dsn) throws Exception {
        PostgresHandler handler = fixture.attach(PostgresSettings.builder().dsn(dsn).table(fixture.table));
        assertTrue(handler.isConnected(), "connected to the writable host at start");
        log(fixture, 0, 20);
        assertEquals(range(0, 20), sequence(fixture.db, fixture.table));
        assertFalse(readOnly.hasTable(fixture.table), "nothing on the read-only server");
        assertEquals(20, handler.stats().written(), handler.stats().toString());
    }

    private static void log(HandlerFixture fixture, int from, int to) {
        for (int seq = from; seq < to; seq++) {
            fixture.logger.log(Level.INFO, "seq", Fields.of("seq", seq));
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    /** The sequence numbers in the table on the shared server, in order; none when there is no table. */
    private static List<Integer> sequence(TestDatabase db, String table) throws SQLException {
        if (!"t".equals(db.value("SELECT to_regclass('" + table + "') IS NOT NULL"))) {
            return List.of();
        }
        return db.column("SELECT (data->>'seq')::int FROM " + table + " WHERE event = 'seq' ORDER BY 1").stream()
                .map(Integer::valueOf).toList();
    }

    /** The same on a server of the test's own. */
    private static List<Integer> sequence(TestServers.Server server, String table) throws SQLException {
        if (!server.hasTable(table)) {
            return List.of();
        }
        return server.column("SELECT (data->>'seq')::int FROM " + table + " WHERE event = 'seq' ORDER BY 1").stream()
                .map(Integer::valueOf).toList();
    }

    @FunctionalInterface
    private interface Query {
        String run() throws SQLException;
    }

    private static String query(Query query) {
        try {
            return query.run();
        } catch (SQLException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
