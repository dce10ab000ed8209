package stogger.postgres.internal.config;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import stogger.core.StoggerConfig;
import stogger.core.spi.PasswordMask;

/**
 * Turns a DSN in any of the supported forms into a {@link ConnectionTarget}:
 * <ul>
 * <li>a libpq URI, {@code postgresql://user:password@host:port/dbname?param=value} or
 * {@code postgres://...}; a host that is a directory (written in the query as
 * {@code host=/var/run/postgresql}, or percent-encoded) or no host at all means a Unix-domain
 * socket;</li>
 * <li>a libpq {@code key=value} string, values optionally single-quoted
 * ({@code host=localhost dbname=logs user=app password='a b'});</li>
 * <li>a {@code jdbc:postgresql:} URL, passed to the driver as it is.</li>
 * </ul>
 * The placeholder {@code %PASSWORD%} is replaced with the password after the DSN is parsed (or,
 * in a JDBC URL, percent-encoded), so any password works in any form. Error messages never
 * contain the DSN's text, only what is wrong and where.
 */
public final class Dsn {

    private static final String PLACEHOLDER = StoggerConfig.PASSWORD_PLACEHOLDER;
    static final String SOCKET_FACTORY = "stogger.postgres.UnixDomainSocketFactory";
    private static final int DEFAULT_PORT = 5432;

    private Dsn() {
    }

    /**
     * Parses a DSN.
     *
     * @param dsn the DSN
     * @param password the value for {@code %PASSWORD%}, or null when none is set (the
     *     placeholder then stands for no password)
     * @param key the configuration key the DSN came from, for error messages
     * @return where and how to connect
     * @throws IllegalArgumentException when the DSN cannot be parsed; the message names the key
     */
    public static ConnectionTarget parse(String dsn, String password, String key) {
        if (dsn == null || dsn.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
        String text = dsn.trim();
        if (text.startsWith("jdbc:postgresql:")) {
            return jdbc(text, password);
        }
        Map<String, String> params;
        if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            params = uri(text, key);
        } else if (text.contains("=")) {
            params = conninfo(text, key);
        } else {
            throw new IllegalArgumentException(key + " has an unsupported form: expected postgresql://..., "
                    + "postgres://..., jdbc:postgresql:... or key=value pairs");
        }
        List<String> secrets = new ArrayList<>();
        String pw = password == null ? "" : password;
        params.replaceAll((name, value) -> value.replace(PLACEHOLDER, pw));
        String literal = params.get("password");
        if (literal != null && !literal.isEmpty()) {
            secrets.add(literal);
            secrets.add(URLEncoder.encode(literal, StandardCharsets.UTF_8));
        }
        return fromParameters(params, secrets, key);
    }

    /** Where a DSN points, without its password; never throws. */
    public static String describe(String dsn, String password) {
        try {
            return parse(dsn, password, "dsn").description();
        } catch (IllegalArgumentException e) {
            return "(invalid DSN)";
        }
    }

    private static ConnectionTarget jdbc(String url, String password) {
        List<String> secrets = new ArrayList<>();
        String resolved = url;
        if (url.contains(PLACEHOLDER)) {
            String encoded = URLEncoder.encode(password == null ? "" : password, StandardCharsets.UTF_8);
            resolved = url.replace(PLACEHOLDER, encoded);
            if (password != null && !password.isEmpty()) {
                secrets.add(password);
                secrets.add(encoded);
            }
        }
        java.util.regex.Matcher literal = java.util.regex.Pattern.compile("(?i)[?&]password=([^&]*)").matcher(resolved);
        if (literal.find() && !literal.group(1).isEmpty()) {
            secrets.add(literal.group(1));
        }
        String description = resolved.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        Properties properties = new Properties();
        return new ConnectionTarget(resolved, properties, description, PasswordMask.of(secrets));
    }

    private static Map<String, String> uri(String text, String key) {
        Map<String, String> params = new LinkedHashMap<>();
        String rest = text.substring(text.indexOf("://") + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        String afterUser = at >= 0 ? rest.substring(at + 1) : rest;
        int slash = afterUser.indexOf('/');
        String hostSpec = slash >= 0 ? afterUser.substring(0, slash) : afterUser;
        String path = slash >= 0 ? afterUser.substring(slash + 1) : "";
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            if (!user.isEmpty()) {
                params.put("user", decode(user, key));
            }
            if (colon >= 0) {
                params.put("password", decode(userInfo.substring(colon + 1), key));
            }
        }
        if (!hostSpec.isEmpty()) {
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (String hostPort : hostSpec.split(",")) {
                String host = hostPort;
                String port = "";
                int close = hostPort.lastIndexOf(']');
                int colon = hostPort.lastIndexOf(':');
                if (colon > close && (close >= 0 || hostPort.indexOf(':') == colon)) {
                    host = hostPort.substring(0, colon);
                    port = hostPort.substring(colon + 1);
                }
                hosts.add(decode(host, key));
                ports.add(port);
            }
            params.put("host", String.join(",", hosts));
            if (ports.stream().anyMatch(p -> !p.isEmpty())) {
                params.put("port", String.join(",", ports));
            }
        }
        if (!path.isEmpty()) {
            params.put("dbname", decode(path, key));
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(key + ": query parameter without a value at '"
                            + (eq == 0 ? "=" : pair) + "'");
                }
                params.put(decode(pair.substring(0, eq), key), decode(pair.substring(eq + 1), key));
            }
        }
        return params;
    }

    /** Percent-decoding that leaves the placeholder alone and decodes UTF-8 byte sequences. */
    private static String decode(String text, String key) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(PLACEHOLDER, i)) {
                flush(bytes, out);
                out.append(PLACEHOLDER);
                i += PLACEHOLDER.length();
            } else if (text.charAt(i) == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException(key + ": incomplete percent-escape at position " + i);
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException(key + ": invalid percent-escape at position " + i);
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                flush(bytes, out);
                out.append(text.charAt(i++));
            }
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static Map<String, String> conninfo(String text, String key) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return params;
            }
            int start = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (name.isEmpty() || i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException(key + ": expected key=value at position " + start);
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException(key + ": unterminated quoted value for '" + name + "'");
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            params.put(name, value.toString());
        }
    }

    private static ConnectionTarget fromParameters(Map<String, String> params, List<String> secrets, String key) {
        Map<String, String> rest = new LinkedHashMap<>(params);
        String hostList = firstNonEmpty(rest.remove("host"), rest.remove("hostaddr"));
        String portList = rest.remove("port");
        String user = firstNonEmpty(rest.remove("user"), System.getProperty("user.name"));
        String password = rest.remove("password");
        String dbname = firstNonEmpty(rest.remove("dbname"), user);
        String[] hosts = hostList == null ? new String[] {defaultSocketDirectory()} : hostList.split(",");
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
                properties.setProperty("socketFactory", SOCKET_FACTORY);
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
        String sslmode = rest.remove("sslmode");
        if (sslmode != null) {
            properties.setProperty("sslmode", sslmode);
        } else if (socket != null) {
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
        String url = "jdbc:postgresql://" + hostPorts + "/"
                + URLEncoder.encode(dbname == null ? "" : dbname, StandardCharsets.UTF_8).replace("+", "%20");
        String description = "postgresql://" + (user == null ? "" : user + "@")
                + (socket != null ? "[socket " + socket + "]:" + hostPorts.substring(hostPorts.lastIndexOf(":") + 1)
                        : hostPorts.toString())
                + "/" + dbname;
        return new ConnectionTarget(url, properties, description, PasswordMask.of(secrets));
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

    /** Where libpq looks when no host is given: Debian's directory when present, else /tmp. */
    static String defaultSocketDirectory() {
        Path debian = Path.of("/var/run/postgresql");
        return Files.isDirectory(debian) ? debian.toString() : "/tmp";
    }
}
