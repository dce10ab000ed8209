package stogger.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.SocketFactory;
import stogger.postgres.internal.connection.UnixDomainSocket;

/**
 * A {@link SocketFactory} whose sockets connect to PostgreSQL's Unix-domain socket instead of
 * TCP, using the JDK's own UNIX-family channels (Java 16+); no native library is needed.
 *
 * <p>{@link PostgresHandler} uses it for DSNs such as
 * {@code postgresql://stogger:@/logs?host=/var/run/postgresql}. It also works with pgjdbc
 * directly:
 * <pre>
 * jdbc:postgresql://localhost:5432/logs?socketFactory=stogger.postgres.UnixDomainSocketFactory&amp;socketFactoryArg=/var/run/postgresql
 * </pre>
 * The argument is the socket directory; the socket file is {@code .s.PGSQL.<port>} in it, with
 * the port taken from the address the driver connects to (the host part is ignored). An
 * argument that names a socket file directly is used as it is. Socket timeouts
 * ({@code setSoTimeout}) apply to reads and writes.
 */
public final class UnixDomainSocketFactory extends SocketFactory {

    /** The directory used by the no-argument constructor. */
    public static final String DEFAULT_DIRECTORY = "/var/run/postgresql";

    private final Path location;

    /** A factory for sockets in {@value #DEFAULT_DIRECTORY}. */
    public UnixDomainSocketFactory() {
        this(DEFAULT_DIRECTORY);
    }

    /**
     * A factory for sockets in the given directory (or for the given socket file).
     *
     * @param location the socket directory or socket file; pgjdbc passes {@code socketFactoryArg}
     */
    public UnixDomainSocketFactory(String location) {
        this.location = Path.of(location == null || location.isBlank() ? DEFAULT_DIRECTORY : location);
    }

    @Override
    public Socket createSocket() {
        return new UnixDomainSocket(port -> Files.isDirectory(location)
                ? location.resolve(".s.PGSQL." + port) : location);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host == null ? "localhost" : host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket("localhost", port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket("localhost", port);
    }
}
