package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
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
}
