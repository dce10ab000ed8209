package stogger.postgres.internal.config;

import java.util.List;
import java.util.Properties;
import stogger.core.spi.PasswordMask;

/**
 * Where and how to connect, derived from a DSN: the JDBC URL, the driver properties (user and
 * password among them, never in the URL), a description without the password, the secrets to
 * mask in any message, and what of the DSN cannot be honoured.
 *
 * @param jdbcUrl the {@code jdbc:postgresql:} URL
 * @param properties driver properties; the caller must not modify them
 * @param description where it connects, safe to print
 * @param passwordMask hides the password, in every form it was given, in any message
 * @param warnings one message per DSN parameter that neither stogger nor pgjdbc honours, each
 *     naming the configuration key, the parameter and what happens instead; to be reported at
 *     start (never a secret in them); empty when all is honoured
 */
public record ConnectionTarget(String jdbcUrl, Properties properties, String description, PasswordMask passwordMask,
        List<String> warnings) {

    /** Copies the warnings; none when null. */
    public ConnectionTarget {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A target without warnings. */
    public ConnectionTarget(String jdbcUrl, Properties properties, String description, PasswordMask passwordMask) {
        this(jdbcUrl, properties, description, passwordMask, List.of());
    }

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
