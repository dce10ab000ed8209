package stogger.postgres.internal.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import stogger.core.spi.PasswordMask;

/**
 * The target for libpq parameters (from a URI or a {@code key=value} string): a
 * {@code jdbc:postgresql:} URL with the hosts, ports and database, and driver properties for
 * the rest; a host that is a directory becomes a Unix-domain socket through
 * {@link Dsn#SOCKET_FACTORY}.
 *
 * <p>libpq parameters that pgjdbc names differently are renamed ({@code connect_timeout},
 * {@code application_name}, {@code target_session_attrs}, {@code load_balance_hosts},
 * {@code channel_binding}, {@code gssencmode}, ...), those it names alike ({@code sslmode},
 * {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code options}, ...) and pgjdbc's own
 * properties are passed as they are. A libpq parameter that neither stogger nor pgjdbc honours
 * is named in {@link ConnectionTarget#warnings()} with what happens instead (and not passed on);
 * a name that is neither libpq's nor pgjdbc's is named there too, and passed on as it is.
 */
final class ParameterTarget {

    private static final int DEFAULT_PORT = 5432;
    private static final int MAX_SHOWN_VALUE = 40;

    /** libpq parameters that pgjdbc takes, with the same values, under another name. */
    private static final Map<String, String> RENAMED = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "channel_binding", "channelBinding",
            "gssencmode", "gssEncMode",
            "krbsrvname", "kerberosServerName",
            "require_auth", "requireAuth",
            "sslnegotiation", "sslNegotiation");

    /**
     * libpq parameters that neither stogger nor pgjdbc honours, whatever their value, with what
     * happens instead.
     */
    static final Map<String, String> UNHONOURED = Map.ofEntries(
            Map.entry("passfile", "pgjdbc takes no password file per connection: when the DSN has no password it"
                    + " reads the file named by the system property org.postgresql.pgpassfile, else by PGPASSFILE,"
                    + " else ~/.pgpass"),
            Map.entry("service", "connection service files are not read, so the service's parameters are not"
                    + " applied; give them in the DSN"),
            Map.entry("keepalives_idle", "the operating system's TCP keepalive timing applies"),
            Map.entry("keepalives_interval", "the operating system's TCP keepalive timing applies"),
            Map.entry("keepalives_count", "the operating system's TCP keepalive timing applies"),
            Map.entry("tcp_user_timeout", "the operating system's default applies (socketTimeoutMs bounds each"
                    + " read)"),
            Map.entry("sslcrl", "the server's certificate is not checked against a revocation list"),
            Map.entry("sslcrldir", "the server's certificate is not checked against a revocation list"),
            Map.entry("ssl_min_protocol_version", "the JDK's enabled TLS versions apply (jdk.tls.client.protocols)"),
            Map.entry("ssl_max_protocol_version", "the JDK's enabled TLS versions apply (jdk.tls.client.protocols)"),
            Map.entry("sslkeylogfile", "no TLS key log is written"),
            Map.entry("requirepeer", "the user of the server's process is not checked"),
            Map.entry("min_protocol_version", "pgjdbc speaks protocol version 3.0"),
            Map.entry("max_protocol_version", "pgjdbc speaks protocol version 3.0"),
            Map.entry("scram_client_key", "it is not used; authentication uses the password"),
            Map.entry("scram_server_key", "it is not used; authentication uses the password"),
            Map.entry("oauth_issuer", "OAuth authentication is not available"),
            Map.entry("oauth_client_id", "OAuth authentication is not available"),
            Map.entry("oauth_client_secret", "OAuth authentication is not available"),
            Map.entry("oauth_scope", "OAuth authentication is not available"));

    /**
     * The connection properties pgjdbc 42.7.14 knows ({@code org.postgresql.PGProperty}'s names;
     * case matters to pgjdbc). They, and the libpq parameters of the same name among them
     * ({@code sslmode}, {@code sslcert}, {@code sslkey}, {@code sslrootcert}, {@code sslpassword},
     * {@code options}, {@code replication}, {@code gsslib}), are passed as they are.
     */
    static final Set<String> PGJDBC_PROPERTIES = Set.of(
            "adaptiveFetch", "adaptiveFetchMaximum", "adaptiveFetchMinimum", "allowEncodingChanges",
            "ApplicationName", "assumeMinServerVersion", "authenticationPluginClassName", "autosave",
            "binaryTransfer", "binaryTransferDisable", "binaryTransferEnable", "cancelSignalTimeout",
            "channelBinding", "classLoaderStrategy", "cleanupSavepoints", "connectExecutor", "connectExecutorArg",
            "connectTimeout", "convertBooleanToNumeric", "currentSchema", "databaseMetadataCacheFields",
            "databaseMetadataCacheFieldsMiB", "defaultRowFetchSize", "disableColumnSanitiser",
            "escapeSyntaxCallMode", "flushCacheOnDdl", "groupStartupParameters", "gssEncMode", "gsslib",
            "gssResponseTimeout", "gssUseDefaultCreds", "hideUnprivilegedObjects", "hostRecheckSeconds",
            "jaasApplicationName", "jaasLogin", "kerberosServerName", "loadBalanceHosts", "localSocketAddress",
            "loggerFile", "loggerLevel", "loginTimeout", "logServerErrorDetail", "logUnclosedConnections",
            "maxResultBuffer", "maxSendBufferSize", "options", "password", "pemKeyAlgorithm", "PGDBNAME",
            "PGHOST", "PGPORT", "preferQueryMode", "preparedStatementCacheQueries",
            "preparedStatementCacheSizeMiB", "prepareThreshold", "protocolVersion", "queryTimeout",
            "quoteReturningIdentifiers", "readOnly", "readOnlyMode", "receiveBufferSize", "replication",
            "requireAuth", "reWriteBatchedInserts", "reWriteBatchedInsertsSize", "scramMaxIterations",
            "sendBufferSize", "service", "socketFactory", "socketFactoryArg", "socketTimeout", "ssl", "sslcert",
            "sslfactory", "sslfactoryarg", "sslhostnameverifier", "sslkey", "sslmode", "sslNegotiation",
            "sslpassword", "sslpasswordcallback", "sslResponseTimeout", "sslrootcert", "sspiServiceClass",
            "stringtype", "targetServerType", "tcpKeepAlive", "tcpNoDelay", "unknownLength", "user", "useSpnego",
            "xmlFactoryFactory");

    private ParameterTarget() {
    }

    static ConnectionTarget of(Map<String, String> params, List<String> secrets, String key) {
        Map<String, String> rest = new LinkedHashMap<>(params);
        List<String> warnings = new ArrayList<>();
        String hostParam = rest.remove("host");
        String hostaddr = rest.remove("hostaddr");
        if (hostParam != null && !hostParam.isEmpty() && hostaddr != null && !hostaddr.isEmpty()) {
            warnings.add(key + ": hostaddr beside host is not supported; pgjdbc connects to host (looked up by"
                    + " name) and hostaddr is ignored");
        }
        // No host, or an empty one, means libpq's default: the Unix-domain socket directory.
        String hostList = firstNonEmpty(hostParam, hostaddr);
        if (hostList != null && hostList.isEmpty()) {
            hostList = null;
        }
        String portList = rest.remove("port");
        String user = firstNonEmpty(rest.remove("user"), System.getProperty("user.name"));
        String password = rest.remove("password");
        String dbname = firstNonEmpty(rest.remove("dbname"), user);
        String[] hosts = hostList == null ? new String[] {Dsn.defaultSocketDirectory()} : hostList.split(",", -1);
        // -1 keeps empty entries: "a:5433,b" in a URI gives the ports "5433," (b on the default port).
        String[] ports = portList == null || portList.isEmpty() ? new String[] {""} : portList.split(",", -1);
        if (ports.length != 1 && ports.length != hosts.length) {
            // libpq refuses this DSN; it is kept working (as before) and reported.
            warnings.add(key + ": " + ports.length + " ports for " + hosts.length + " hosts is not supported by"
                    + " libpq (one port for all hosts or one per host); a host without a port uses " + DEFAULT_PORT
                    + (ports.length > hosts.length ? " and the extra ports are ignored" : ""));
        }
        Properties properties = new Properties();
        StringBuilder hostPorts = new StringBuilder();
        String socket = null;
        for (int h = 0; h < hosts.length; h++) {
            String host = hosts[h].trim();
            String port = (ports.length == 1 ? ports[0] : h < ports.length ? ports[h] : "").trim();
            int portNumber = port.isEmpty() ? DEFAULT_PORT : parsePort(port, key);
            if (host.isEmpty()) {
                throw new IllegalArgumentException(key + ": an empty entry in the host list");
            }
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
        driverProperties(rest, socket != null, properties, key, warnings);
        String url = "jdbc:postgresql://" + hostPorts + "/"
                + URLEncoder.encode(dbname == null ? "" : dbname, StandardCharsets.UTF_8).replace("+", "%20");
        String description = "postgresql://" + (user == null ? "" : user + "@")
                + (socket != null ? "[socket " + socket + "]:" + hostPorts.substring(hostPorts.lastIndexOf(":") + 1)
                        : hostPorts.toString())
                + "/" + dbname;
        return new ConnectionTarget(url, properties, description, PasswordMask.of(secrets), warnings);
    }

    /**
     * Sets the remaining parameters as driver properties: libpq's translated to pgjdbc's, the
     * rest as they are; reports what is not honoured.
     */
    private static void driverProperties(Map<String, String> rest, boolean socket, Properties properties, String key,
            List<String> warnings) {
        String requiressl = null;
        String fallbackApplicationName = null;
        for (Map.Entry<String, String> parameter : rest.entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue();
            String renamed = RENAMED.get(name);
            String unhonoured = UNHONOURED.get(name);
            if (renamed != null) {
                properties.setProperty(renamed, value);
            } else if (unhonoured != null) {
                warnings.add(key + ": " + name + " is not supported; " + unhonoured);
            } else {
                switch (name) {
                    case "target_session_attrs" -> targetSessionAttrs(value, properties, key, warnings);
                    case "load_balance_hosts" -> loadBalanceHosts(value, properties, key, warnings);
                    case "keepalives" -> keepalives(value, properties, key, warnings);
                    case "requiressl" -> requiressl = value;
                    case "fallback_application_name" -> fallbackApplicationName = value;
                    case "client_encoding" -> {
                        if (!Set.of("utf8", "utf-8", "unicode").contains(value.toLowerCase(Locale.ROOT))) {
                            warnings.add(key + ": client_encoding=" + shown(value) + " is not supported; pgjdbc"
                                    + " always uses UTF8");
                        }
                    }
                    case "sslcompression" -> {
                        if (!"0".equals(value)) {
                            warnings.add(key + ": sslcompression=" + shown(value) + " is not supported; the"
                                    + " connection is not compressed");
                        }
                    }
                    case "sslsni" -> {
                        if (!"1".equals(value)) {
                            warnings.add(key + ": sslsni=" + shown(value) + " is not supported; the JDK sends the"
                                    + " server name (SNI) for a host name as libpq's default does");
                        }
                    }
                    case "sslcertmode" -> {
                        if (!"allow".equals(value)) {
                            warnings.add(key + ": sslcertmode=" + shown(value) + " is not supported; a client"
                                    + " certificate is sent when one is configured (sslcert, sslkey) or found in"
                                    + " ~/.postgresql, as with sslcertmode=allow");
                        }
                    }
                    case "gssdelegation" -> {
                        if (!"0".equals(value)) {
                            warnings.add(key + ": gssdelegation=" + shown(value) + " is not supported; GSSAPI"
                                    + " credentials are not delegated to the server");
                        }
                    }
                    default -> {
                        if (!PGJDBC_PROPERTIES.contains(name)) {
                            warnings.add(key + ": '" + shown(name) + "' is neither a libpq nor a pgjdbc parameter;"
                                    + " it is passed to pgjdbc, which ignores it");
                        }
                        properties.setProperty(name, value);
                    }
                }
            }
        }
        if (properties.getProperty("ApplicationName") == null && fallbackApplicationName != null) {
            properties.setProperty("ApplicationName", fallbackApplicationName);
        }
        tls(properties, requiressl, socket, key, warnings);
    }

    /**
     * libpq's {@code target_session_attrs} as pgjdbc's {@code targetServerType}. pgjdbc 42.7
     * decides after connecting ({@code ConnectionFactoryImpl.isPrimary}): a server is "primary"
     * when it does not report {@code in_hot_standby = on} (PostgreSQL 14+) and
     * {@code SHOW transaction_read_only} says {@code off}; any other is "secondary". So
     * {@code read-write} and {@code read-only} mean what libpq means; {@code primary} is
     * stricter (a primary whose {@code default_transaction_read_only} is on is skipped, as it
     * could not take the handler's rows anyway); {@code standby} and {@code prefer-standby} also
     * take a primary whose sessions are read-only by default.
     */
    private static void targetSessionAttrs(String value, Properties properties, String key, List<String> warnings) {
        String type = switch (value) {
            case "any" -> "any";
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> null;
        };
        if (type == null) {
            warnings.add(key + ": target_session_attrs=" + shown(value) + " is not understood (expected any,"
                    + " read-write, read-only, primary, standby or prefer-standby); connecting to any server");
        } else {
            properties.setProperty("targetServerType", type);
        }
    }

    /** libpq's {@code load_balance_hosts} as pgjdbc's {@code loadBalanceHosts}: both shuffle the hosts. */
    private static void loadBalanceHosts(String value, Properties properties, String key, List<String> warnings) {
        switch (value) {
            case "disable" -> properties.setProperty("loadBalanceHosts", "false");
            case "random" -> properties.setProperty("loadBalanceHosts", "true");
            default -> warnings.add(key + ": load_balance_hosts=" + shown(value) + " is not understood (expected"
                    + " disable or random); the hosts are tried in the order given");
        }
    }

    /** libpq's {@code keepalives} (an integer, non-zero for on) as pgjdbc's {@code tcpKeepAlive}. */
    private static void keepalives(String value, Properties properties, String key, List<String> warnings) {
        try {
            properties.setProperty("tcpKeepAlive", Integer.parseInt(value.trim()) != 0 ? "true" : "false");
        } catch (NumberFormatException e) {
            warnings.add(key + ": keepalives=" + shown(value) + " is not understood (expected 0 or 1); TCP"
                    + " keepalives stay on");
        }
    }

    /**
     * What libpq does beyond the names: {@code requiressl=1} means {@code sslmode=require} when
     * no sslmode is given; {@code sslmode=require} with an {@code sslrootcert} verifies the
     * server's certificate against it ({@code verify-ca}), where pgjdbc's {@code require} would
     * not look at it; {@code sslrootcert=system} trusts the system's roots (the JDK's trust store)
     * and requires {@code verify-full}. A Unix-domain socket has no TLS.
     */
    private static void tls(Properties properties, String requiressl, boolean socket, String key,
            List<String> warnings) {
        String sslmode = properties.getProperty("sslmode");
        if (sslmode == null && requiressl != null) {
            if ("1".equals(requiressl.trim())) {
                properties.setProperty("sslmode", "require");
            } else if (!"0".equals(requiressl.trim())) {
                warnings.add(key + ": requiressl=" + shown(requiressl) + " is not understood (expected 0 or 1);"
                        + " it is ignored");
            }
        }
        sslmode = properties.getProperty("sslmode");
        String rootcert = properties.getProperty("sslrootcert");
        if ("system".equals(rootcert)) {
            if (sslmode == null) {
                sslmode = "verify-full";
                properties.setProperty("sslmode", sslmode);
            }
            if (!"verify-full".equals(sslmode)) {
                throw new IllegalArgumentException(key + ": sslrootcert=system requires sslmode=verify-full, not "
                        + shown(sslmode));
            }
            properties.remove("sslrootcert");
            properties.putIfAbsent("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            if (properties.getProperty("sslcert") != null || properties.getProperty("sslkey") != null) {
                warnings.add(key + ": sslcert and sslkey are not supported with sslrootcert=system; the client"
                        + " certificate comes from the JDK's key store (javax.net.ssl.keyStore), if any");
            }
        } else if ("require".equals(sslmode) && rootcert != null && !rootcert.isEmpty()) {
            properties.setProperty("sslmode", "verify-ca");
        }
        if (properties.getProperty("sslmode") == null && socket) {
            properties.setProperty("sslmode", "disable");
        }
    }

    /** A value for a message: never long (a warning must stay one readable line). */
    private static String shown(String value) {
        String oneLine = value.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_SHOWN_VALUE ? oneLine : oneLine.substring(0, MAX_SHOWN_VALUE) + "...";
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
