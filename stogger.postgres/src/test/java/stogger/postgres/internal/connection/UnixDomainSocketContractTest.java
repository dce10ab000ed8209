package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
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
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.UnixDomainSocketFactory;

/**
 * The {@link Socket} contract pgjdbc relies on, kept by the Unix-domain socket: connect once, the
 * streams only while connected and open, end of stream when the peer closes, reads and writes
 * bounded by the socket timeout (0 waits forever), shutdown and close as for TCP.
 */
class UnixDomainSocketContractTest {

    /** Only against a hang: each test is over in well under a second when it passes. */
    private static final Duration HANG = Duration.ofSeconds(20);

    private final Path dir;
    private final Path file;
    private final ServerSocketChannel server;

    UnixDomainSocketContractTest() throws IOException {
        dir = Files.createTempDirectory("uds");
        file = dir.resolve(".s.PGSQL.6543");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(file));
    }

    @AfterEach
    void cleanUp() throws IOException {
        server.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    private Socket connected() throws IOException {
        Socket socket = new UnixDomainSocketFactory(dir.toString()).createSocket();
        socket.connect(new InetSocketAddress("localhost", 6543), 2_000);
        return socket;
    }

    private static byte[] readFully(SocketChannel peer, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        while (buffer.hasRemaining()) {
            if (peer.read(buffer) < 0) {
                throw new IOException("peer saw end of stream after " + buffer.position() + " bytes");
            }
        }
        return buffer.array();
    }

    @Test
    void beforeConnectItIsNeitherConnectedNorUsable() throws IOException {
        Socket socket = new UnixDomainSocket(port -> file);
        assertFalse(socket.isConnected());
        assertFalse(socket.isBound());
        assertFalse(socket.isClosed());
        assertNull(socket.getRemoteSocketAddress());
        assertEquals("UnixDomainSocket[unconnected]", socket.toString());
        assertEquals("Socket is not connected",
                assertThrows(SocketException.class, socket::getInputStream).getMessage());
        assertEquals("Socket is not connected",
                assertThrows(SocketException.class, socket::getOutputStream).getMessage());
        assertThrows(SocketException.class, socket::shutdownInput);
        assertThrows(SocketException.class, socket::shutdownOutput);
    }

    @Test
    void theSocketFileIsChosenByThePortOfTheAddress() throws Exception {
        try (Socket socket = connected(); SocketChannel peer = server.accept()) {
            assertTrue(socket.isConnected());
            assertTrue(socket.isBound());
            assertEquals(UnixDomainSocketAddress.of(file), socket.getRemoteSocketAddress());
            assertEquals("UnixDomainSocket[" + file + "]", socket.toString());
        }
    }

    @Test
    void anAddressWithoutPortMeansTheDefaultPort() throws Exception {
        int[] asked = new int[1];
        try (Socket socket = new UnixDomainSocket(port -> {
            asked[0] = port;
            return file;
        })) {
            socket.connect(UnixDomainSocketAddress.of(file));
            try (SocketChannel peer = server.accept()) {
                assertEquals(5432, asked[0]);
            }
        }
    }

    @Test
    void itConnectsOnceAndNeverAfterClose() throws Exception {
        Socket socket = connected();
        try (SocketChannel peer = server.accept()) {
            assertEquals("already connected", assertThrows(SocketException.class,
                    () -> socket.connect(new InetSocketAddress("localhost", 6543), 1_000)).getMessage());
        }
        socket.close();
        assertTrue(socket.isClosed());
        assertTrue(socket.toString().endsWith(", closed]"), socket.toString());
        Socket closedFirst = new UnixDomainSocket(port -> file);
        closedFirst.close();
        assertEquals("Socket is closed", assertThrows(SocketException.class,
                () -> closedFirst.connect(new InetSocketAddress("localhost", 6543), 1_000)).getMessage());
        assertFalse(closedFirst.isConnected());
    }

    @Test
    void negativeTimeoutsAreRejected() throws Exception {
        Socket socket = new UnixDomainSocket(port -> file);
        assertThrows(IllegalArgumentException.class,
                () -> socket.connect(new InetSocketAddress("localhost", 6543), -1));
        assertThrows(IllegalArgumentException.class, () -> socket.setSoTimeout(-1));
        socket.setSoTimeout(0);
        assertEquals(0, socket.getSoTimeout());
        socket.setSoTimeout(250);
        assertEquals(250, socket.getSoTimeout());
    }

    @Test
    void theStreamsStopWorkingOnceTheSocketIsClosed() throws Exception {
        Socket socket = connected();
        try (SocketChannel peer = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            socket.close();
            assertEquals("Socket is closed", assertThrows(SocketException.class, in::read).getMessage());
            assertEquals("Socket is closed", assertThrows(SocketException.class, () -> out.write(1)).getMessage());
            assertEquals("Socket is closed", assertThrows(SocketException.class, socket::getInputStream).getMessage());
            assertEquals("Socket is closed", assertThrows(SocketException.class, socket::getOutputStream).getMessage());
        }
    }

    @Test
    void closingAStreamClosesTheSocket() throws Exception {
        Socket first = connected();
        try (SocketChannel peer = server.accept()) {
            first.getInputStream().close();
            assertTrue(first.isClosed());
        }
        Socket second = connected();
        try (SocketChannel peer = server.accept()) {
            second.getOutputStream().close();
            assertTrue(second.isClosed());
        }
    }

    @Test
    void bytesArriveWholeAndInOrderAndThePeersCloseIsEndOfStream() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            try (Socket socket = connected(); SocketChannel peer = server.accept()) {
                byte[] sent = new byte[300_000];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = (byte) (i * 31);
                }
                // Larger than the socket's buffer: the write must wait for the peer to read.
                Thread writer = new Thread(() -> {
                    try {
                        socket.getOutputStream().write(sent, 0, sent.length);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                assertArrayEquals(sent, readFully(peer, sent.length));
                writer.join();
                peer.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, 7}));
                InputStream in = socket.getInputStream();
                assertEquals(0xff, in.read(), "a byte as an int from 0 to 255");
                byte[] buffer = new byte[4];
                assertEquals(0, in.read(buffer, 0, 0), "a read of nothing returns at once");
                assertEquals(1, in.read(buffer, 1, 3));
                assertEquals(7, buffer[1]);
                assertEquals(0, in.available());
                peer.close();
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(buffer, 0, 4));
            }
        });
    }

    @Test
    void aReadWithoutTimeoutWaitsUntilDataComes() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            try (Socket socket = connected(); SocketChannel peer = server.accept()) {
                socket.setSoTimeout(0);
                Thread late = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                        peer.write(ByteBuffer.wrap(new byte[] {42}));
                    } catch (IOException | InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                });
                late.start();
                assertEquals(42, socket.getInputStream().read());
                late.join();
            }
        });
    }

    @Test
    void theTimeoutSetAfterTheStreamsWereTakenApplies() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            try (Socket socket = connected(); SocketChannel peer = server.accept()) {
                InputStream in = socket.getInputStream();
                socket.setSoTimeout(150);
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, in::read);
                assertTrue(e.getMessage().contains("read timed out after 150 ms"), e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertFalse(socket.isClosed(), "a timeout leaves the socket usable");
                peer.write(ByteBuffer.wrap(new byte[] {5}));
                assertEquals(5, in.read());
            }
        });
    }

    @Test
    void aWriteThePeerNeverReadsTimesOut() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            try (Socket socket = connected(); SocketChannel peer = server.accept()) {
                socket.setSoTimeout(200);
                byte[] tooMuch = new byte[64 * 1024 * 1024];
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                        () -> socket.getOutputStream().write(tooMuch));
                assertTrue(e.getMessage().contains("write timed out after 200 ms"), e.getMessage());
            }
        });
    }

    @Test
    void shutdownEndsOneDirection() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            try (Socket socket = connected(); SocketChannel peer = server.accept()) {
                assertFalse(socket.isOutputShutdown());
                socket.shutdownOutput();
                assertTrue(socket.isOutputShutdown());
                assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "the peer sees end of stream");
                assertFalse(socket.isInputShutdown());
                socket.shutdownInput();
                assertTrue(socket.isInputShutdown());
                assertEquals(-1, socket.getInputStream().read());
                assertFalse(socket.isClosed());
            }
        });
    }

    @Test
    void theFactoryTakesADirectoryOrTheSocketFileItself() throws Exception {
        try (Socket byFile = new UnixDomainSocketFactory(file.toString()).createSocket("ignored.host", 1);
                SocketChannel peer = server.accept()) {
            assertEquals(UnixDomainSocketAddress.of(file), byFile.getRemoteSocketAddress());
        }
        try (Socket byAddress = new UnixDomainSocketFactory(dir.toString())
                .createSocket(InetAddress.getLoopbackAddress(), 6543); SocketChannel peer = server.accept()) {
            assertTrue(byAddress.isConnected());
        }
        try (Socket withLocal = new UnixDomainSocketFactory(dir.toString())
                .createSocket("localhost", 6543, InetAddress.getLoopbackAddress(), 0);
                SocketChannel peer = server.accept()) {
            assertTrue(withLocal.isConnected());
        }
        try (Socket both = new UnixDomainSocketFactory(dir.toString()).createSocket(InetAddress.getLoopbackAddress(),
                6543, InetAddress.getLoopbackAddress(), 0); SocketChannel peer = server.accept()) {
            assertTrue(both.isConnected());
        }
    }

    @Test
    void withoutALocationTheFactoryUsesTheDefaultDirectory() {
        for (UnixDomainSocketFactory factory : new UnixDomainSocketFactory[] {new UnixDomainSocketFactory(),
            new UnixDomainSocketFactory(null), new UnixDomainSocketFactory(" ")}) {
            SocketException e = assertThrows(SocketException.class, () -> factory.createSocket("localhost", 1));
            assertTrue(e.getMessage().contains(UnixDomainSocketFactory.DEFAULT_DIRECTORY), e.getMessage());
        }
    }

    @Test
    void aMissingSocketFileFailsWithinATimeoutNamingThePath() {
        Path missing = dir.resolve(".s.PGSQL.6544");
        Socket socket = new UnixDomainSocket(port -> missing);
        SocketException e = assertThrows(SocketException.class,
                () -> socket.connect(new InetSocketAddress("localhost", 6544), 1_000));
        assertTrue(e.getMessage().startsWith("cannot connect to Unix-domain socket " + missing), e.getMessage());
        assertFalse(socket.isConnected());
    }
}
