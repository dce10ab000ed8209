package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.core.Fields;

/**
 * TLS from the DSN against a server of the test's own with a throwaway CA
 * ({@link TestServers.Tls}): the server certificate names 127.0.0.1 and localhost, TCP clients
 * must use TLS, and the role {@value #CERT_USER} must log in with a client certificate. Each case
 * in both libpq forms (URI, key=value).
 */
class TlsTest {

    private static final String CERT_USER = "stogger_cert";
    /** A loopback address the server listens on that its certificate does not name. */
    private static final String UNNAMED_HOST = "127.0.0.2";

    private static TestServers.Tls tls;
    private static TestServers.Server server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        tls = TestServers.Tls.create(CERT_USER);
        server = TestServers.server().tls(tls).alsoListenOn(UNNAMED_HOST).start();
        server.execute("CREATE ROLE " + CERT_USER + " LOGIN SUPERUSER");
    }

    @AfterAll
    static void stopTlsServer() {
        if (server != null) {
            server.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void verifyFullWithTheRightCaWritesRowsOverTls(String form) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            String application = "tls-" + fixture.table;
            PostgresHandler handler = fixture.attach(settings(fixture, dsn(form, server.host(), server.user(),
                    "sslmode", "verify-full", "sslrootcert", tls.caCert.toString(), "application_name", application)));
            assertTrue(handler.isConnected(), "connected at start");
            log(fixture, 3);
            assertEquals(List.of("0", "1", "2"), rows(fixture.table));
            assertEquals("t", server.value("SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)"
                    + " WHERE application_name = '" + application + "'"), "the handler's session uses TLS");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void aWrongCaIsReportedOnceWithTheCauseRetriedOnTheBackoffAndNothingIsWritten(String form) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            String dsn = dsn(form, server.host(), server.user(), "sslmode", "verify-full", "sslrootcert",
                    tls.otherCaCert.toString());
            long refusedBefore = server.logLines("could not accept SSL connection");
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(fixture, dsn).retryInitialMs(100).retryMaxMs(200));
                assertFalse(handler.isConnected());
                log(fixture, 5);
                // The reconnect thread keeps trying (the server logs each handshake it refuses) ...
                TestSupport.awaitUntil(() -> server.logLines("could not accept SSL connection") >= refusedBefore + 3,
                        Duration.ofSeconds(30), () -> "retries; server log: " + server.logTail());
                assertEquals(0, handler.stats().written());
                handler.close();
            });
            // ... and stderr has told it once, with the cause.
            assertOneLine(stderr, "PKIX path building failed", "cannot write to postgresql://" + server.user() + "@"
                    + server.host() + ":" + server.port() + "/" + server.database() + ": PSQLException: SSL error: ");
            assertFalse(server.hasTable(fixture.table), "no rows");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void aHostNameTheCertificateDoesNotNameIsReportedAndNothingIsWritten(String form) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            String dsn = dsn(form, UNNAMED_HOST, server.user(), "sslmode", "verify-full", "sslrootcert",
                    tls.caCert.toString());
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(fixture, dsn));
                assertFalse(handler.isConnected());
                log(fixture, 5);
                assertEquals(0, handler.stats().written());
                handler.close();
            });
            assertOneLine(stderr, "The hostname " + UNNAMED_HOST + " could not be verified", "cannot write to"
                    + " postgresql://" + server.user() + "@" + UNNAMED_HOST + ":" + server.port() + "/");
            assertFalse(server.hasTable(fixture.table), "no rows");
        }
        // The control: the same address is fine where the name is not checked (verify-ca).
        try (HandlerFixture fixture = new HandlerFixture()) {
            PostgresHandler handler = fixture.attach(settings(fixture, dsn(form, UNNAMED_HOST, server.user(),
                    "sslmode", "verify-ca", "sslrootcert", tls.caCert.toString())));
            assertTrue(handler.isConnected());
            log(fixture, 2);
            assertEquals(List.of("0", "1"), rows(fixture.table));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void aClientCertificateLogsInWhereTheServerRequiresOne(String form) throws Exception {
        // PEM (PKCS#8) in one form, DER (PKCS#8, .pk8) in the other: pgjdbc 42.7.14 reads both.
        Path key = form.equals("uri") ? tls.clientKey : tls.clientKeyDer;
        try (HandlerFixture fixture = new HandlerFixture()) {
            String application = "tls-cert-" + fixture.table;
            PostgresHandler handler = fixture.attach(settings(fixture, dsn(form, server.host(), CERT_USER,
                    "sslmode", "verify-full", "sslrootcert", tls.caCert.toString(), "sslcert",
                    tls.clientCert.toString(), "sslkey", key.toString(), "application_name", application)));
            assertTrue(handler.isConnected(), "connected at start");
            log(fixture, 3);
            assertEquals(List.of("0", "1", "2"), rows(fixture.table));
            assertEquals("/CN=" + CERT_USER, server.value("SELECT client_dn FROM pg_stat_ssl JOIN pg_stat_activity"
                    + " USING (pid) WHERE application_name = '" + application + "'"));
        }
        // The control: without the certificate the server refuses the role.
        try (HandlerFixture fixture = new HandlerFixture()) {
            String dsn = dsn(form, server.host(), CERT_USER, "sslmode", "verify-full", "sslrootcert",
                    tls.caCert.toString());
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(fixture, dsn));
                assertFalse(handler.isConnected());
                log(fixture, 2);
                handler.close();
            });
            assertOneLine(stderr, "connection requires a valid client certificate", "cannot write to");
            assertFalse(server.hasTable(fixture.table), "no rows");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void sslmodeDisableMeetsAServerThatRequiresTls(String form) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            String dsn = dsn(form, server.host(), server.user(), "sslmode", "disable");
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(fixture, dsn));
                assertFalse(handler.isConnected());
                log(fixture, 2);
                handler.close();
            });
            assertOneLine(stderr, "no encryption", "no pg_hba.conf entry for host");
            assertFalse(server.hasTable(fixture.table), "no rows");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uri", "key=value"})
    void sslmodeRequireChecksTheCaOnlyWhenARootCertificateIsGivenAsLibpqDoes(String form) throws Exception {
        try (HandlerFixture fixture = new HandlerFixture()) {
            PostgresHandler handler = fixture.attach(settings(fixture, dsn(form, server.host(), server.user(),
                    "sslmode", "require")));
            assertTrue(handler.isConnected(), "require alone encrypts without checking the certificate");
            log(fixture, 1);
            assertEquals(List.of("0"), rows(fixture.table));
        }
        try (HandlerFixture fixture = new HandlerFixture()) {
            String dsn = dsn(form, server.host(), server.user(), "sslmode", "require", "sslrootcert",
                    tls.otherCaCert.toString());
            String stderr = TestSupport.captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(fixture, dsn));
                assertFalse(handler.isConnected());
                log(fixture, 1);
                handler.close();
            });
            assertOneLine(stderr, "PKIX path building failed", "cannot write to");
            assertFalse(server.hasTable(fixture.table), "no rows");
        }
    }

    private static PostgresSettings.Builder settings(HandlerFixture fixture, String dsn) {
        return PostgresSettings.builder().dsn(dsn).table(fixture.table);
    }

    /**
     * The DSN of the TLS server in a libpq form, reached at {@code host}; {@code parameters} are
     * names and values. In a URI the values are percent-encoded, in key=value quoted.
     */
    private static String dsn(String form, String host, String user, String... parameters) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < parameters.length; i += 2) {
            pairs.add(parameters[i] + "=" + (form.equals("uri")
                    ? URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8)
                    : "'" + parameters[i + 1].replace("\\", "\\\\").replace("'", "\\'") + "'"));
        }
        if (form.equals("uri")) {
            return "postgresql://" + user + "@" + host + ":" + server.port() + "/" + server.database() + "?"
                    + String.join("&", pairs);
        }
        return "host=" + host + " port=" + server.port() + " dbname=" + server.database() + " user=" + user + " "
                + String.join(" ", pairs);
    }

    private static void log(HandlerFixture fixture, int count) {
        for (int seq = 0; seq < count; seq++) {
            fixture.logger.log(Level.INFO, "seq", Fields.of("seq", seq));
        }
    }

    /** The sequence numbers in the table on the TLS server. */
    private static List<String> rows(String table) throws Exception {
        return server.column("SELECT data->>'seq' FROM " + table + " WHERE event = 'seq' ORDER BY 1");
    }

    /** Exactly one line of stderr has the cause, and it says where (starting with {@code prefix} after the tag). */
    private static void assertOneLine(String stderr, String cause, String where) {
        List<String> lines = stderr.lines().filter(line -> line.contains(cause)).toList();
        assertEquals(1, lines.size(), "one line with '" + cause + "' in:\n" + stderr);
        assertTrue(lines.get(0).startsWith("stogger.postgres: "), lines.get(0));
        assertTrue(lines.get(0).contains(where), "'" + where + "' in " + lines.get(0));
    }
}
