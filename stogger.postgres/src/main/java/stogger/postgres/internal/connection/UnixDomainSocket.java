package stogger.postgres.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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
 * <p>{@link #connect(SocketAddress, int)} honours its timeout, also against a server whose
 * listen backlog is full (see {@code TimedUnixConnect}); the streams are {@code ChannelStreams}.
 */
public final class UnixDomainSocket extends Socket {

    private final IntFunction<Path> pathForPort;
    private volatile SocketChannel channel;
    private volatile int timeoutMillis;
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private ChannelStreams streams;
    private Path path;

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
        SocketChannel opened = TimedUnixConnect.connect(path, timeout);
        streams = new ChannelStreams(opened, path, this);
        channel = opened;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireConnected();
        return streams.input();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireConnected();
        return streams.output();
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
            if (streams != null) {
                streams.closeSelectors();
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
}
