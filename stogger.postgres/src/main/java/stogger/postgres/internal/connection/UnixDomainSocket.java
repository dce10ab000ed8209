package stogger.postgres.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A {@link Socket} over a UNIX-family {@link SocketChannel}: what pgjdbc needs from a socket
 * (connect, streams, timeouts, close), since such a channel cannot hand out a
 * {@code java.net.Socket} itself. The channel is non-blocking; reads and writes wait in a
 * selector for at most the socket timeout, so {@link #setSoTimeout(int)} works as for TCP.
 *
 * <p>Why this class exists: pgjdbc speaks to the server only through a {@code java.net.Socket}
 * from a {@code socketFactory}, and ships no factory of its own for Unix-domain sockets; the
 * one it documents relies on a native (JNI) library. Using the JDK's own Unix-domain channels
 * (Java 16+) is still an open request there:
 * <a href="https://github.com/pgjdbc/pgjdbc/issues/3282">pgjdbc#3282</a> (native Java Unix
 * sockets without JNI) and its duplicate
 * <a href="https://github.com/pgjdbc/pgjdbc/issues/3457">pgjdbc#3457</a>, with an open
 * implementation in <a href="https://github.com/pgjdbc/pgjdbc/pull/4188">pgjdbc#4188</a>. Once
 * a released pgjdbc has it, this class can go.
 *
 * <p>{@link #connect(SocketAddress, int)} honours its timeout. A Unix-domain connect does wait:
 * when the server's listen backlog is full (a server too busy to accept), Linux queues a
 * blocking connect until a slot frees, and fails a non-blocking one at once with
 * {@code EAGAIN}, which the JDK reports as a plain {@link SocketException}, told apart from
 * e.g. a missing socket file only by its (localised) message. So the connect here is a
 * blocking one, cut short by closing the channel when the timeout passes.
 */
public final class UnixDomainSocket extends Socket {

    private final IntFunction<Path> pathForPort;
    private volatile SocketChannel channel;
    private volatile int timeoutMillis;
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private InputStream input;
    private OutputStream output;
    private Path path;
    private Selector readSelector;
    private Selector writeSelector;

    /**
     * A socket that, when connected to a port, opens the socket file for that port.
     *
     * @param pathForPort the socket file for a port number
     */
    public UnixDomainSocket(IntFunction<Path> pathForPort) {
        this.pathForPort = pathForPort;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (channel != null) {
            throw new SocketException("already connected");
        }
        int port = endpoint instanceof InetSocketAddress inet ? inet.getPort() : 5432;
        path = pathForPort.apply(port);
        SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
        ConnectDeadline deadline = timeout == 0 ? null : new ConnectDeadline(opened, timeout, path);
        IOException failure = null;
        boolean inTime;
        try {
            opened.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            failure = e;
        } finally {
            inTime = deadline == null || deadline.finish();
        }
        if (!inTime) {
            opened.close();
            throw new SocketTimeoutException(
                    "connect to Unix-domain socket " + path + " timed out after " + timeout + " ms");
        }
        try {
            if (failure != null) {
                throw failure;
            }
            opened.configureBlocking(false);
        } catch (IOException e) {
            opened.close();
            SocketException wrapped =
                    new SocketException("cannot connect to Unix-domain socket " + path + ": " + e.getMessage());
            wrapped.initCause(e);
            throw wrapped;
        }
        channel = opened;
        input = new ChannelInput();
        output = new ChannelOutput();
    }

    /**
     * Closes a channel that is still connecting when its timeout passes, which wakes the thread
     * blocked in {@code connect}. Exactly one of {@link #finish()} and the expiry wins.
     */
    private static final class ConnectDeadline implements Runnable {

        private final SocketChannel connecting;
        private final long timeoutMillis;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final Thread watchdog;

        ConnectDeadline(SocketChannel connecting, int timeoutMillis, Path path) {
            this.connecting = connecting;
            this.timeoutMillis = timeoutMillis;
            watchdog = new Thread(this, "stogger connect timeout " + path);
            watchdog.setDaemon(true);
            watchdog.start();
        }

        /** Ends the wait; false when the timeout already passed (and the channel was closed). */
        boolean finish() {
            boolean inTime = settled.compareAndSet(false, true);
            if (inTime) {
                watchdog.interrupt();
            }
            return inTime;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(timeoutMillis);
            } catch (InterruptedException e) {
                return; // connected or failed in time
            }
            if (settled.compareAndSet(false, true)) {
                try {
                    connecting.close();
                } catch (IOException e) {
                    // The connecting thread sees the channel closed either way.
                }
            }
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireConnected();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireConnected();
        return output;
    }

    private void requireConnected() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (channel == null) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        SocketChannel open = channel;
        try {
            if (open != null) {
                open.close();
            }
        } finally {
            closeQuietly(readSelector);
            closeQuietly(writeSelector);
        }
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

    @Override
    public boolean isConnected() {
        return channel != null;
    }

    @Override
    public boolean isBound() {
        return channel != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void shutdownInput() throws IOException {
        requireConnected();
        channel.shutdownInput();
        inputShutdown = true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        requireConnected();
        channel.shutdownOutput();
        outputShutdown = true;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout can't be negative");
        }
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    // TCP options have no meaning on a Unix-domain socket; pgjdbc sets some of them anyway.

    @Override
    public void setTcpNoDelay(boolean on) {
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public void setReceiveBufferSize(int size) {
    }

    @Override
    public int getReceiveBufferSize() {
        return 65536;
    }

    @Override
    public void setSendBufferSize(int size) {
    }

    @Override
    public int getSendBufferSize() {
        return 65536;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return path == null ? null : UnixDomainSocketAddress.of(path);
    }

    @Override
    public String toString() {
        return "UnixDomainSocket[" + (path == null ? "unconnected" : path) + (closed ? ", closed" : "") + "]";
    }

    /** Waits until the channel is ready for the operation or the socket timeout passes. */
    private void await(Selector selector, String what) throws IOException {
        int timeout = timeoutMillis;
        int ready;
        try {
            ready = timeout == 0 ? selector.select() : selector.select(timeout);
            selector.selectedKeys().clear();
        } catch (java.nio.channels.ClosedSelectorException e) {
            throw new SocketException("Socket is closed");
        }
        if (ready == 0 && timeout > 0) {
            throw new SocketTimeoutException(what + " timed out after " + timeout + " ms on " + path);
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
    }

    private Selector selectorFor(int operation) throws IOException {
        Selector selector = Selector.open();
        channel.register(selector, operation);
        return selector;
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
                if (closed) {
                    throw new SocketException("Socket is closed");
                }
                int n = channel.read(target);
                if (n != 0) {
                    return n;
                }
                synchronized (UnixDomainSocket.this) {
                    if (readSelector == null) {
                        readSelector = selectorFor(SelectionKey.OP_READ);
                    }
                }
                await(readSelector, "read");
            }
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocket.this.close();
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
                if (closed) {
                    throw new SocketException("Socket is closed");
                }
                if (channel.write(source) == 0) {
                    synchronized (UnixDomainSocket.this) {
                        if (writeSelector == null) {
                            writeSelector = selectorFor(SelectionKey.OP_WRITE);
                        }
                    }
                    await(writeSelector, "write");
                }
            }
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocket.this.close();
        }
    }
}
