package stogger.postgres.internal.config;

import java.util.Properties;
import stogger.core.spi.PasswordMask;

/**
 * Where and how to connect, derived from a DSN: the JDBC URL, the driver properties (user and
 * password among them, never in the URL), a description without the password, and the secrets
 * to mask in any message.
 *
 * @param jdbcUrl the {@code jdbc:postgresql:} URL
 * @param properties driver properties; the caller must not modify them
 * @param description where it connects, safe to print
 * @param passwordMask hides the password, in every form it was given, in any message
 */
public record ConnectionTarget(String jdbcUrl, Properties properties, String description, PasswordMask passwordMask) {

    /** A copy of the driver properties that the caller may change. */
    public Properties copyOfProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The text with the password hidden; never throws. */
    public String mask(String text) {
        return passwordMask.mask(text);
    }

    @Override
    public String toString() {
        return description;
    }
}
