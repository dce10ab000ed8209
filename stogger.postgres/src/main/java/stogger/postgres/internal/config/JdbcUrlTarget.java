package stogger.postgres.internal.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import stogger.core.spi.PasswordMask;

/**
 * The target for a {@code jdbc:postgresql:} URL: the URL as it is, with {@code %PASSWORD%}
 * replaced by the percent-encoded password, and a description with any password (and key
 * password, {@code sslpassword}) hidden. Nothing in it is translated, so it has no warnings:
 * pgjdbc's own parameter names apply ({@code targetServerType}, {@code sslmode}, ...).
 */
final class JdbcUrlTarget {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&](?:ssl)?password=([^&]*)");

    private JdbcUrlTarget() {
    }

    static ConnectionTarget of(String url, String password) {
        List<String> secrets = new ArrayList<>();
        String resolved = url;
        if (url.contains(Dsn.PLACEHOLDER)) {
            String encoded = URLEncoder.encode(password == null ? "" : password, StandardCharsets.UTF_8);
            resolved = url.replace(Dsn.PLACEHOLDER, encoded);
            if (password != null && !password.isEmpty()) {
                secrets.add(password);
                secrets.add(encoded);
            }
        }
        Matcher literal = PASSWORD_PARAMETER.matcher(resolved);
        while (literal.find()) {
            if (!literal.group(1).isEmpty()) {
                secrets.add(literal.group(1));
            }
        }
        String description = resolved.replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
        Properties properties = new Properties();
        return new ConnectionTarget(resolved, properties, description, PasswordMask.of(secrets));
    }
}
