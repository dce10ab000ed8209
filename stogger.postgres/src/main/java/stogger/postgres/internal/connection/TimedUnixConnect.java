package stogger.postgres.internal.connection;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Connects a UNIX-family channel to a socket file within a timeout, and hands it back
 * non-blocking.
 *
 * <p>A Unix-domain connect does wait: when the server's listen backlog is full (a server too
 * busy to accept), Linux queues a blocking connect until a slot frees, and fails a non-blocking
 * one at once with {@code EAGAIN}, which the JDK reports as a plain {@link SocketException},
 * told apart from e.g. a missing socket file only by its (localised) message. So the connect
 * here is a blocking one, cut short by closing the channel when the timeout passes.
 */
final class TimedUnixConnect {

    private TimedUnixConnect() {
    }

    /**
     * Opens a channel connected to the socket file.
     *
     * @param path the socket file
     * @param timeout the most milliseconds to wait, 0 for no limit
     * @return the connected channel, in non-blocking mode
     * @throws SocketTimeoutException when the timeout passed first
     * @throws SocketException when the connect failed; the message names the path
     */
    static SocketChannel connect(Path path, int timeout) throws IOException {
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
        return opened;
    }
}
