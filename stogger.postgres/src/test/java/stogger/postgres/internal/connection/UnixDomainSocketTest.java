package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ConnectException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import stogger.postgres.UnixDomainSocketFactory;

class UnixDomainSocketTest {

    @Test
    void connectsToTheSocketFileForThePortAndCarriesBytesBothWays() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve(".s.PGSQL.7777");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file));
            Socket socket = new UnixDomainSocketFactory(dir.toString()).createSocket();
            socket.connect(InetSocketAddress.createUnresolved("localhost", 7777), 1000);
            try (SocketChannel peer = server.accept()) {
                OutputStream out = socket.getOutputStream();
                out.write(new byte[] {1, 2, 3});
                ByteBuffer received = ByteBuffer.allocate(3);
                while (received.hasRemaining()) {
                    peer.read(received);
                }
                assertEquals(3, received.get(2));
                peer.write(ByteBuffer.wrap(new byte[] {9}));
                assertEquals(9, socket.getInputStream().read());
            }
            socket.close();
            assertTrue(socket.isClosed());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void readTimesOutAfterTheSocketTimeout() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve("server.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file));
            try (Socket socket = new UnixDomainSocketFactory(file.toString()).createSocket("localhost", 5432);
                    SocketChannel peer = server.accept()) {
                socket.setSoTimeout(100);
                InputStream in = socket.getInputStream();
                assertThrows(SocketTimeoutException.class, () -> in.read(new byte[8], 0, 8));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void missingSocketFileFailsWithItsPath() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        SocketException e = assertThrows(SocketException.class,
                () -> new UnixDomainSocketFactory(dir.toString()).createSocket("localhost", 5999));
        assertTrue(e.getMessage().contains(dir.resolve(".s.PGSQL.5999").toString()), e.getMessage());
    }

    @Test
    void connectToAServerWithAFullBacklogTimesOutInsteadOfHanging() throws Exception {
        Path dir = Files.createTempDirectory("uds");
        Path file = dir.resolve("busy.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file), 1); // never accepts
            IOException full = fillBacklog(file, queued);
            // Linux queues a connect to a full backlog (the case this test is for); a system that
            // refuses it instead cannot run this test, and must say so rather than pass or skip.
            assertFalse(full instanceof ConnectException, "a full backlog refuses here, nothing can hang: " + full);
            UnixDomainSocket socket = new UnixDomainSocket(port -> file);
            // Preemptive, so that a connect that does hang fails this test instead of the suite.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long start = System.nanoTime();
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                        () -> socket.connect(new InetSocketAddress("localhost", 5432), 300));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis < 5000, "connect returned only after " + tookMillis + " ms");
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
            });
            assertFalse(socket.isConnected());
        } finally {
            for (SocketChannel client : queued) {
                client.close();
            }
            Files.deleteIfExists(file);
        }
    }

    /**
     * Connects non-blocking clients until the server's backlog takes no more; returns how the
     * first connect that did not complete at once failed.
     */
    private static IOException fillBacklog(Path file, List<SocketChannel> queued) throws IOException {
        for (int i = 0; i < 1000; i++) {
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.configureBlocking(false);
            try {
                boolean done = client.connect(UnixDomainSocketAddress.of(file));
                queued.add(client);
                if (!done) {
                    return new IOException("connect in progress");
                }
            } catch (IOException e) {
                client.close();
                return e;
            }
        }
        throw new AssertionError("backlog of 1 still not full after 1000 connects");
    }
}
