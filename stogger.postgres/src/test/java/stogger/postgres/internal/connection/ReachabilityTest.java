package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import stogger.postgres.internal.config.Dsn;

/**
 * The quick check of the reconnect thread (README: "while the server is absent, checks every
 * 500 ms whether it listens again"): a TCP connect to any of the DSN's hosts at its port, or the
 * presence of the socket file {@code .s.PGSQL.<port>} for a socket DSN.
 */
class ReachabilityTest {

    private static Reachability of(String dsn) {
        return Reachability.of(Dsn.parse(dsn, null, "dsn"));
    }

    /** A loopback port nobody listens on (it was free a moment ago). */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aListeningTcpServerIsReachableAndAClosedPortIsNot() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(of("postgresql://app@127.0.0.1:" + listening.getLocalPort() + "/logs").listening());
        }
        assertFalse(of("postgresql://app@127.0.0.1:" + freePort() + "/logs").listening());
    }

    @Test
    void anyOfSeveralHostsWillDo() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(of("postgresql://app@127.0.0.1:" + freePort() + ",127.0.0.1:" + listening.getLocalPort()
                    + "/logs").listening());
        }
    }

    @Test
    void anIpv6HostIsProbedWithoutItsBrackets() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            assertTrue(of("postgresql://app@[::1]:" + listening.getLocalPort() + "/logs").listening());
        }
    }

    @Test
    void aJdbcUrlIsProbedAtItsHostAndPort() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(of("jdbc:postgresql://127.0.0.1:" + listening.getLocalPort() + "/logs?user=app").listening());
        }
        assertFalse(of("jdbc:postgresql://127.0.0.1:" + freePort() + "/logs").listening());
    }

    @Test
    void aSocketDsnIsReachableWhenItsSocketFileExists() throws IOException {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve(".s.PGSQL.6432");
        try {
            Reachability probe = of("postgresql://app@/logs?host=" + dir + "&port=6432");
            assertFalse(probe.listening());
            Files.createFile(file);
            assertTrue(probe.listening());
            assertFalse(of("postgresql://app@/logs?host=" + dir + "&port=6433").listening(), "another port's file");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
