package stogger.postgres.internal.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import stogger.postgres.internal.config.ConnectionTarget;

/**
 * A quick check whether the server listens again, far cheaper than a connection attempt: a TCP
 * connect to one of the target's hosts, or the presence of its Unix-domain socket file. It lets
 * the keeper reconnect within a probe interval of the server's return instead of waiting out a
 * backoff that grew during a long outage.
 */
final class Reachability {

    static final int PROBE_TIMEOUT_MS = 300;

    private final List<InetSocketAddress> hosts;
    private final Path socketFile;

    private Reachability(List<InetSocketAddress> hosts, Path socketFile) {
        this.hosts = hosts;
        this.socketFile = socketFile;
    }

    /** The probe for a target; one that can say nothing when the URL's hosts cannot be read. */
    static Reachability of(ConnectionTarget target) {
        String url = target.jdbcUrl();
        int start = url.indexOf("//");
        int end = start < 0 ? -1 : url.indexOf('/', start + 2);
        List<InetSocketAddress> hosts = new ArrayList<>();
        if (start >= 0 && end > start) {
            for (String hostPort : url.substring(start + 2, end).split(",")) {
                int colon = hostPort.lastIndexOf(':');
                boolean hasPort = colon > hostPort.lastIndexOf(']');
                String host = hasPort ? hostPort.substring(0, colon) : hostPort;
                int port = 5432;
                try {
                    port = hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : 5432;
                } catch (NumberFormatException e) {
                    // an unusual URL: probe the default port
                }
                host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                if (!host.isEmpty()) {
                    hosts.add(InetSocketAddress.createUnresolved(host, port));
                }
            }
        }
        Properties properties = target.properties();
        String directory = properties.getProperty("socketFactoryArg");
        Path socketFile = directory != null && properties.getProperty("socketFactory") != null && !hosts.isEmpty()
                ? Path.of(directory, ".s.PGSQL." + hosts.get(0).getPort()) : null;
        return new Reachability(socketFile != null ? List.of() : hosts, socketFile);
    }

    /** Whether the server seems to listen now; false when it cannot be told. */
    boolean listening() {
        if (socketFile != null) {
            return Files.exists(socketFile);
        }
        for (InetSocketAddress host : hosts) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.getHostString(), host.getPort()), PROBE_TIMEOUT_MS);
                return true;
            } catch (IOException | IllegalArgumentException | SecurityException e) {
                // not this one
            }
        }
        return false;
    }
}
