package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A socket DSN reconnects for as long as an outage lasts, so every attempt must give back what
 * it took: the channel of a failed connect, the selectors of a closed socket, the watchdog thread
 * of a connect that finished in time. Counted in the process's open file descriptors (Linux's
 * {@code /proc/self/fd}, where these Unix-domain sockets are used).
 */
class UnixDomainSocketResourcesTest {

    /** Slack for descriptors the JVM opens meanwhile (class files, the test runner). */
    private static final int SLACK = 40;
    private static final int ROUNDS = 200;

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void failedConnectsLeaveNoDescriptorBehind() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path missing = dir.resolve(".s.PGSQL.5432");
        long before = openFileDescriptors();
        for (int i = 0; i < ROUNDS; i++) {
            for (int timeout : new int[] {0, 1_000}) {
                Socket socket = new UnixDomainSocket(port -> missing);
                assertThrows(SocketException.class,
                        () -> socket.connect(new InetSocketAddress("localhost", 5432), timeout));
            }
        }
        long after = openFileDescriptors();
        assertTrue(after - before < SLACK, (after - before) + " more open descriptors after " + 2 * ROUNDS
                + " failed connects");
        Files.delete(dir);
    }

    @Test
    void aClosedSocketReleasesItsChannelAndSelectors() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve("server.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file));
            long before = openFileDescriptors();
            for (int i = 0; i < ROUNDS; i++) {
                Socket socket = new UnixDomainSocket(port -> file);
                socket.connect(new InetSocketAddress("localhost", 5432), 1_000);
                try (SocketChannel peer = server.accept()) {
                    socket.setSoTimeout(1);
                    // A read that waits opens the read selector; a write that cannot finish, the write one.
                    assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                    assertThrows(SocketTimeoutException.class,
                            () -> socket.getOutputStream().write(new byte[8 * 1024 * 1024]));
                    peer.write(ByteBuffer.wrap(new byte[] {1}));
                    socket.close();
                }
            }
            long after = openFileDescriptors();
            assertTrue(after - before < SLACK, (after - before) + " more open descriptors after " + ROUNDS
                    + " sockets were used and closed");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aConnectInTimeLeavesNoWatchdogThreadBehind() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve("server.sock");
        String watchdog = "stogger connect timeout " + file;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file));
            try (Socket socket = new UnixDomainSocket(port -> file); SocketChannel peer = connectAndAccept(socket,
                    server)) {
                assertTrue(socket.isConnected());
                // The connect timeout is a minute; a watchdog still asleep would live that long.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (threadAlive(watchdog)) {
                    assertTrue(System.nanoTime() < deadline, "the watchdog thread is still alive");
                    Thread.sleep(10);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static SocketChannel connectAndAccept(Socket socket, ServerSocketChannel server) throws IOException {
        socket.connect(new InetSocketAddress("localhost", 5432), 60_000);
        return server.accept();
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
