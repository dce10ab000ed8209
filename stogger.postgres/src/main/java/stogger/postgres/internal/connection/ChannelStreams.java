package stogger.postgres.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The input and output streams of a {@link UnixDomainSocket} over its non-blocking channel:
 * reads and writes wait in a selector for at most the socket's timeout
 * ({@link Socket#getSoTimeout()}), read each time they wait. Closing a stream closes the socket.
 */
final class ChannelStreams {

    private final SocketChannel channel;
    private final Path path;
    private final Socket socket;
    private final InputStream input = new ChannelInput();
    private final OutputStream output = new ChannelOutput();
    private Selector readSelector;
    private Selector writeSelector;

    /**
     * Streams over a connected channel.
     *
     * @param channel the channel, non-blocking
     * @param path the socket file, for messages
     * @param socket the socket they belong to: its timeout and closed state apply, and closing a
     *     stream closes it
     */
    ChannelStreams(SocketChannel channel, Path path, Socket socket) {
        this.channel = channel;
        this.path = path;
        this.socket = socket;
    }

    InputStream input() {
        return input;
    }

    OutputStream output() {
        return output;
    }

    /** Releases the selectors; the socket calls this when it closes. */
    synchronized void closeSelectors() {
        closeQuietly(readSelector);
        closeQuietly(writeSelector);
    }

    private static void closeQuietly(Selector selector) {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
        }
    }

    private synchronized Selector readSelector() throws IOException {
        if (readSelector == null) {
            readSelector = selectorFor(SelectionKey.OP_READ);
        }
        return readSelector;
    }

    private synchronized Selector writeSelector() throws IOException {
        if (writeSelector == null) {
            writeSelector = selectorFor(SelectionKey.OP_WRITE);
        }
        return writeSelector;
    }

    private Selector selectorFor(int operation) throws IOException {
        Selector selector = Selector.open();
        channel.register(selector, operation);
        return selector;
    }

    /** Waits until the channel is ready for the operation or the socket timeout passes. */
    private void await(Selector selector, String what) throws IOException {
        int timeout = socket.getSoTimeout();
        int ready;
        try {
            ready = timeout == 0 ? selector.select() : selector.select(timeout);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new SocketException("Socket is closed");
        }
        if (ready == 0 && timeout > 0) {
            throw new SocketTimeoutException(what + " timed out after " + timeout + " ms on " + path);
        }
        requireOpen();
    }

    private void requireOpen() throws SocketException {
        if (socket.isClosed()) {
            throw new SocketException("Socket is closed");
        }
    }

    private final class ChannelInput extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
            while (true) {
                requireOpen();
                int n = channel.read(target);
                if (n != 0) {
                    return n;
                }
                await(readSelector(), "read");
            }
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private final class ChannelOutput extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
            ByteBuffer source = ByteBuffer.wrap(buffer, offset, length);
            while (source.hasRemaining()) {
                requireOpen();
                if (channel.write(source) == 0) {
                    await(writeSelector(), "write");
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
