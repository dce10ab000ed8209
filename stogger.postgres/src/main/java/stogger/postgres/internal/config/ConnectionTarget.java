package stogger.postgres.internal.config;

import java.util.List;
import java.util.Properties;

/**
 * Where and how to connect, derived from a DSN: the JDBC URL, the driver properties (user and
 * password among them, never in the URL), a description without the password, and the secrets
 * to mask in any message.
 *
 * @param jdbcUrl the {@code jdbc:postgresql:} URL
 * @param properties driver properties; the caller must not modify them
 * @param description where it connects, safe to print
 * @param secrets strings that must never appear in a message (the password in its forms)
 */
public record ConnectionTarget(String jdbcUrl, Properties properties, String description, List<String> secrets) {

    /** A copy of the driver properties that the caller may change. */
    public Properties copyOfProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The text with every secret replaced by {@code ***}; never throws. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }

    @Override
    public String toString() {
        return description;
    }
}
