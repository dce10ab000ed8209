package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.internal.connection.Connector;

/**
 * The connection settings of the README's key table arrive where they take effect: pgjdbc's
 * properties (connectTimeout and socketTimeout in whole seconds, rounded up so that a short
 * timeout never becomes pgjdbc's "no timeout") and the handler's own session on the server
 * (writeTimeoutMs as statement_timeout and lock_timeout, synchronous_commit, application_name).
 */
class SettingsReachTheDriverTest {

    private final HandlerFixture fixture = new HandlerFixture();

    /** The first connection the handler opened and the properties it passed for it. */
    private final AtomicReference<Properties> properties = new AtomicReference<>();
    private final AtomicReference<Connection> connection = new AtomicReference<>();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private final Connector capturing = (url, props) -> {
        Properties copy = new Properties();
        copy.putAll(props);
        properties.compareAndSet(null, copy);
        Connection opened = DriverManager.getConnection(url, props);
        connection.compareAndSet(null, opened);
        return opened;
    };

    private PostgresSettings.Builder settings() {
        return PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table);
    }

    private PostgresHandler start(PostgresSettings.Builder settings) {
        PostgresHandler handler = fixture.attach(new PostgresHandler(settings.build(), capturing));
        assertTrue(handler.isConnected(), "connected at start");
        assertNotNull(properties.get());
        return handler;
    }

    private String show(String setting) throws SQLException {
        try (Statement s = connection.get().createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void timeoutsReachPgjdbcInWholeSecondsRoundedUp() {
        start(settings().connectTimeoutMs(1_500).writeTimeoutMs(1_000).socketTimeoutMs(7_001));
        Properties p = properties.get();
        assertEquals("2", p.getProperty("connectTimeout"));
        assertEquals("8", p.getProperty("socketTimeout"));
    }

    @Test
    void wholeSecondsStayAsTheyAre() {
        start(settings().connectTimeoutMs(3_000).writeTimeoutMs(1_000).socketTimeoutMs(6_000));
        assertEquals("3", properties.get().getProperty("connectTimeout"));
        assertEquals("6", properties.get().getProperty("socketTimeout"));
    }

    @Test
    void aTimeoutBelowOneSecondIsOneSecondNotNoTimeout() {
        start(settings().connectTimeoutMs(1));
        assertEquals("1", properties.get().getProperty("connectTimeout"));
    }

    @Test
    void aSocketTimeoutOfZeroWaitsForever() {
        start(settings().socketTimeoutMs(0));
        assertEquals("0", properties.get().getProperty("socketTimeout"));
    }

    @Test
    void theDefaultsReachPgjdbc() {
        start(settings());
        Properties p = properties.get();
        assertEquals(Integer.toString(PostgresSettings.DEFAULT_CONNECT_TIMEOUT_MS / 1000), p.getProperty("connectTimeout"));
        assertEquals(Integer.toString(PostgresSettings.DEFAULT_SOCKET_TIMEOUT_MS / 1000), p.getProperty("socketTimeout"));
        assertEquals("true", p.getProperty("tcpKeepAlive"));
    }

    @Test
    void writeTimeoutMsBoundsEveryStatementOfTheHandlersSessionOnly() throws Exception {
        start(settings().writeTimeoutMs(4_321));
        assertEquals("4321ms", show("statement_timeout"));
        assertEquals("4321ms", show("lock_timeout"));
        assertEquals("0", fixture.db.value("SHOW statement_timeout"), "other sessions keep the server's setting");
    }

    @Test
    void theSessionKeepsSynchronousCommitOnByDefault() throws Exception {
        start(settings());
        assertEquals("on", show("synchronous_commit"));
    }

    @Test
    void theSessionIsNamedStoggerUnlessTheDsnNamesIt() throws Exception {
        start(settings());
        assertEquals("stogger", show("application_name"));
    }

    @Test
    void theDsnsApplicationNameAndOptionsAreKept() throws Exception {
        String dsn = fixture.db.dsn() + (fixture.db.dsn().contains("?") ? "&" : "?")
                + "application_name=shop&options=-c%20work_mem%3D7MB";
        start(settings().dsn(dsn).writeTimeoutMs(2_000));
        assertEquals("shop", show("application_name"));
        assertEquals("7MB", show("work_mem"));
        assertEquals("2s", show("statement_timeout"));
        fixture.logger.info("written");
        assertEquals(1, fixture.db.count(fixture.table));
    }

    @Test
    void theBuildersPasswordReplacesThePlaceholder() {
        AtomicReference<Properties> seen = new AtomicReference<>();
        PostgresHandler handler = new PostgresHandler(PostgresSettings.builder()
                .dsn("postgresql://app:%PASSWORD%@127.0.0.1:1/logs").password("p@ss w").table(fixture.table)
                .build(), (url, props) -> {
                    seen.compareAndSet(null, (Properties) props.clone());
                    throw new SQLException("refused by the test", "08001");
                });
        fixture.keep(handler);
        assertEquals("p@ss w", seen.get().getProperty("password"));
        assertEquals("app", seen.get().getProperty("user"));
        assertTrue(!handler.isConnected());
    }
}
