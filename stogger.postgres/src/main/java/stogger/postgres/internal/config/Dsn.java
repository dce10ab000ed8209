package stogger.postgres.internal.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import stogger.core.StoggerConfig;

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
 *
 * <p>In the libpq forms, several hosts ({@code h1,h2:5433} in a URI, {@code host=a,b port=5432,5433}),
 * {@code target_session_attrs} (as pgjdbc's {@code targetServerType}), the TLS parameters
 * ({@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code sslpassword})
 * and the other libpq parameters pgjdbc can honour are translated; what cannot be honoured is
 * listed in {@link ConnectionTarget#warnings()}, each naming the key.
 */
public final class Dsn {

    static final String PLACEHOLDER = StoggerConfig.PASSWORD_PLACEHOLDER;
    static final String SOCKET_FACTORY = "stogger.postgres.UnixDomainSocketFactory";

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
            return JdbcUrlTarget.of(text, password);
        }
        Map<String, String> params;
        if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            params = UriDsn.parameters(text, key);
        } else if (text.contains("=")) {
            params = ConninfoDsn.parameters(text, key);
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
        String keyPassword = params.get("sslpassword");
        if (keyPassword != null && !keyPassword.isEmpty()) {
            secrets.add(keyPassword);
            secrets.add(URLEncoder.encode(keyPassword, StandardCharsets.UTF_8));
        }
        return ParameterTarget.of(params, secrets, key);
    }

    /** Where a DSN points, without its password; never throws. */
    public static String describe(String dsn, String password) {
        try {
            return parse(dsn, password, "dsn").description();
        } catch (IllegalArgumentException e) {
            return "(invalid DSN)";
        }
    }

    /** Where libpq looks when no host is given: Debian's directory when present, else /tmp. */
    static String defaultSocketDirectory() {
        Path debian = Path.of("/var/run/postgresql");
        return Files.isDirectory(debian) ? debian.toString() : "/tmp";
    }
}
