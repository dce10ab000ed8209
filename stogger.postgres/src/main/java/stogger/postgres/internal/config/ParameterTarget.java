package stogger.postgres.internal.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import stogger.core.spi.PasswordMask;

/**
 * The target for libpq parameters (from a URI or a {@code key=value} string): a
 * {@code jdbc:postgresql:} URL with the hosts, ports and database, and driver properties for
 * the rest; a host that is a directory becomes a Unix-domain socket through
 * {@link Dsn#SOCKET_FACTORY}.
 */
final class ParameterTarget {

    private static final int DEFAULT_PORT = 5432;

    private ParameterTarget() {
    }

    static ConnectionTarget of(Map<String, String> params, List<String> secrets, String key) {
        Map<String, String> rest = new LinkedHashMap<>(params);
        String hostList = firstNonEmpty(rest.remove("host"), rest.remove("hostaddr"));
        String portList = rest.remove("port");
        String user = firstNonEmpty(rest.remove("user"), System.getProperty("user.name"));
        String password = rest.remove("password");
        String dbname = firstNonEmpty(rest.remove("dbname"), user);
        String[] hosts = hostList == null ? new String[] {Dsn.defaultSocketDirectory()} : hostList.split(",");
        String[] ports = portList == null || portList.isEmpty() ? new String[] {""} : portList.split(",");
        Properties properties = new Properties();
        StringBuilder hostPorts = new StringBuilder();
        String socket = null;
        for (int h = 0; h < hosts.length; h++) {
            String host = hosts[h].trim();
            String port = (ports.length == 1 ? ports[0] : h < ports.length ? ports[h] : "").trim();
            int portNumber = port.isEmpty() ? DEFAULT_PORT : parsePort(port, key);
            if (host.startsWith("/")) {
                if (socket != null) {
                    throw new IllegalArgumentException(key + ": only one Unix-domain socket host is supported");
                }
                socket = host;
                properties.setProperty("socketFactory", Dsn.SOCKET_FACTORY);
                properties.setProperty("socketFactoryArg", host);
                host = "localhost";
            }
            if (hostPorts.length() > 0) {
                hostPorts.append(',');
            }
            boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
            hostPorts.append(ipv6 ? "[" + host + "]" : host).append(':').append(portNumber);
        }
        if (socket != null && hosts.length > 1) {
            throw new IllegalArgumentException(key + ": a Unix-domain socket cannot be combined with other hosts");
        }
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        driverProperties(rest, socket != null, properties);
        String url = "jdbc:postgresql://" + hostPorts + "/"
                + URLEncoder.encode(dbname == null ? "" : dbname, StandardCharsets.UTF_8).replace("+", "%20");
        String description = "postgresql://" + (user == null ? "" : user + "@")
                + (socket != null ? "[socket " + socket + "]:" + hostPorts.substring(hostPorts.lastIndexOf(":") + 1)
                        : hostPorts.toString())
                + "/" + dbname;
        return new ConnectionTarget(url, properties, description, PasswordMask.of(secrets));
    }

    /** Sets the remaining parameters as driver properties, renaming those pgjdbc names differently from libpq. */
    private static void driverProperties(Map<String, String> rest, boolean socket, Properties properties) {
        String sslmode = rest.remove("sslmode");
        if (sslmode != null) {
            properties.setProperty("sslmode", sslmode);
        } else if (socket) {
            properties.setProperty("sslmode", "disable");
        }
        String connectTimeout = rest.remove("connect_timeout");
        if (connectTimeout != null) {
            properties.setProperty("connectTimeout", connectTimeout);
        }
        String applicationName = rest.remove("application_name");
        if (applicationName != null) {
            properties.setProperty("ApplicationName", applicationName);
        }
        rest.forEach(properties::setProperty);
    }

    private static int parsePort(String port, String key) {
        try {
            int value = Integer.parseInt(port);
            if (value > 0 && value < 65536) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": invalid port '" + port + "'");
    }

    private static String firstNonEmpty(String first, String second) {
        return first != null && !first.isEmpty() ? first : second;
    }
}
