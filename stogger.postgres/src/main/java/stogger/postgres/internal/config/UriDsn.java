package stogger.postgres.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a libpq URI, {@code postgresql://user:password@host:port,host:port/dbname?param=value},
 * into libpq parameters ({@code user}, {@code password}, {@code host}, {@code port},
 * {@code dbname} and the query's), percent-decoded.
 */
final class UriDsn {

    private UriDsn() {
    }

    static Map<String, String> parameters(String text, String key) {
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
                params.put("user", PercentDecoding.decode(user, key));
            }
            if (colon >= 0) {
                params.put("password", PercentDecoding.decode(userInfo.substring(colon + 1), key));
            }
        }
        if (!hostSpec.isEmpty()) {
            hosts(hostSpec, key, params);
        }
        if (!path.isEmpty()) {
            params.put("dbname", PercentDecoding.decode(path, key));
        }
        if (query != null && !query.isEmpty()) {
            query(query, key, params);
        }
        return params;
    }

    /** {@code host[:port],...}, an IPv6 host in brackets; a port is set only when one is given. */
    private static void hosts(String hostSpec, String key, Map<String, String> params) {
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
            hosts.add(PercentDecoding.decode(host, key));
            ports.add(port);
        }
        params.put("host", String.join(",", hosts));
        if (ports.stream().anyMatch(p -> !p.isEmpty())) {
            params.put("port", String.join(",", ports));
        }
    }

    private static void query(String query, String key, Map<String, String> params) {
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(key + ": query parameter without a value at '"
                        + (eq == 0 ? "=" : pair) + "'");
            }
            params.put(PercentDecoding.decode(pair.substring(0, eq), key),
                    PercentDecoding.decode(pair.substring(eq + 1), key));
        }
    }
}
