package stogger.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.postgres.TestDatabase;
import stogger.postgres.TestServers;

/**
 * The jlink image's launcher against a PostgreSQL server that accepts TCP clients only over TLS
 * ({@code hostssl} lines only), with a throwaway CA: TLS from the DSN works with the image's JDK
 * modules alone, and a wrong CA is one clear line on stderr and no rows.
 */
class RuntimeImageTlsTest {

    private static final String CERT_USER = "stogger_cert";
    private static final int NUMBERED = 200;

    private static TestServers.Tls tls;
    private static TestServers.Server server;

    private final Path launcher = Path.of(System.getProperty("image.dir"), "bin", "stogger-sample");
    private final String table = TestDatabase.uniqueTable();

    @BeforeAll
    static void startTlsServer() throws Exception {
        tls = TestServers.Tls.create(CERT_USER);
        server = TestServers.server().tls(tls).start();
        // pg_hba.conf lets this role in over TLS only with a client certificate its CA signed.
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

    @Test
    void verifyFullWithTheRightCaWritesEveryRecord() throws Exception {
        Apps.Run run = launch(server.user(), "sslmode=verify-full&sslrootcert=" + tls.caCert);
        assertSampleRan(run);
        assertNothingReported(run);
        assertEquals(expectedSequence(), sequence(), run.toString());
    }

    @Test
    void aWrongCaIsOneClearLineAndNoRows() throws Exception {
        Apps.Run run = launch(server.user(), "sslmode=verify-full&sslrootcert=" + tls.otherCaCert);
        assertSampleRan(run);
        List<String> lines = run.stderr().lines().filter(line -> line.contains("PKIX path building failed")).toList();
        assertEquals(1, lines.size(), run.toString());
        assertTrue(lines.get(0).startsWith("stogger.postgres: cannot write to postgresql://" + server.user() + "@"
                + server.host() + ":" + server.port() + "/" + server.database() + ": "), lines.get(0));
        assertFalse(server.hasTable(table), "no rows: " + run);
    }

    @ParameterizedTest(name = "key {0}")
    @ValueSource(strings = {"client.key", "client.pk8"})
    void aClientCertificateLogsInWhereTheServerRequiresOne(String keyFile) throws Exception {
        // client.key is PEM (PKCS#8, "BEGIN PRIVATE KEY"), client.pk8 the same key as DER PKCS#8.
        Path key = keyFile.equals("client.key") ? tls.clientKey : tls.clientKeyDer;
        Apps.Run run = launch(CERT_USER, "sslmode=verify-full&sslrootcert=" + tls.caCert + "&sslcert="
                + tls.clientCert + "&sslkey=" + key);
        assertSampleRan(run);
        assertNothingReported(run);
        assertEquals(expectedSequence(), sequence(), run.toString());
    }

    @Test
    void withoutTheClientCertificateTheRoleIsRefused() throws Exception {
        Apps.Run run = launch(CERT_USER, "sslmode=verify-full&sslrootcert=" + tls.caCert);
        assertSampleRan(run);
        assertEquals(1, run.stderr().lines().filter(line -> line.startsWith("stogger.postgres: cannot write to")
                && line.contains("connection requires a valid client certificate")).count(), run.toString());
        assertFalse(server.hasTable(table), "no rows: " + run);
    }

    /** The image's launcher, logging {@value #NUMBERED} numbered records as {@code user} with the TLS parameters. */
    private Apps.Run launch(String user, String tlsParameters) {
        String dsn = "postgresql://" + user + "@" + server.host() + ":" + server.port() + "/" + server.database() + "?"
                + tlsParameters;
        return Apps.run(List.of(launcher.toString(), Integer.toString(NUMBERED)), Map.of("JAVA_TOOL_OPTIONS",
                "-Dstogger.postgres.PostgresHandler.dsn=" + dsn + " -Dstogger.postgres.PostgresHandler.table=" + table));
    }

    private static void assertSampleRan(Apps.Run run) {
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("sample done"), run.toString());
    }

    /** The handler said nothing: no failure, no loss, no ignored DSN parameter. */
    private static void assertNothingReported(Apps.Run run) {
        assertTrue(run.stderr().lines().noneMatch(line -> line.startsWith("stogger.postgres:")), run.toString());
    }

    private static List<String> expectedSequence() {
        return IntStream.range(0, NUMBERED).mapToObj(Integer::toString).toList();
    }

    /** The seq of every numbered row on the TLS server, in order, duplicates kept. */
    private List<String> sequence() throws Exception {
        return server.column("SELECT data->>'seq' FROM " + table + " WHERE event = 'image-numbered'"
                + " ORDER BY (data->>'seq')::int");
    }
}
