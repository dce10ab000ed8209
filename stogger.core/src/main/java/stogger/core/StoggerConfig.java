package stogger.core;

import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.LogManager;
import stogger.core.spi.LoggingProperties;
import stogger.core.spi.PasswordMask;

/**
 * stogger's configuration: which targets to enable and how to reach them.
 *
 * <p>{@link #load()} reads these keys from the java.util.logging configuration (the
 * {@code logging.properties} file that {@link LogManager} read); a system property of the same
 * name wins over the file:
 * <table>
 * <caption>Configuration keys</caption>
 * <tr><th>key</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code stogger.enable_postgres}</td><td>attach the PostgreSQL target
 * ({@code true} or {@code false})</td><td>{@code false}</td></tr>
 * <tr><td>{@code stogger.postgres_dsn}</td><td>where to connect: a libpq URI
 * ({@code postgresql://user:%PASSWORD%@host/db}), a libpq {@code key=value} string or a
 * {@code jdbc:postgresql:} URL</td><td>none</td></tr>
 * <tr><td>{@code stogger.postgres_table}</td><td>the table, optionally schema-qualified</td>
 * <td>{@code stogger_logs}</td></tr>
 * </table>
 * The password comes from the environment variable {@value #PASSWORD_VARIABLE}; the target
 * substitutes it for the placeholder {@value #PASSWORD_PLACEHOLDER} in the DSN.
 *
 * <p>A value that cannot be parsed is reported on stderr with its key, the value and the
 * default used instead. {@link #toString()} never shows the password.
 *
 * @param enablePostgres whether the PostgreSQL target is wanted
 * @param postgresDsn the DSN, or null when not configured
 * @param postgresTable the table name; never null (blank becomes {@value #DEFAULT_TABLE})
 * @param postgresPassword the password from {@value #PASSWORD_VARIABLE}, or null
 */
public record StoggerConfig(boolean enablePostgres, String postgresDsn, String postgresTable,
        String postgresPassword) {

    /** Key that enables the PostgreSQL target. */
    public static final String ENABLE_POSTGRES = "stogger.enable_postgres";
    /** Key of the PostgreSQL DSN. */
    public static final String POSTGRES_DSN = "stogger.postgres_dsn";
    /** Key of the PostgreSQL table name. */
    public static final String POSTGRES_TABLE = "stogger.postgres_table";
    /** The table used when {@value #POSTGRES_TABLE} is not set. */
    public static final String DEFAULT_TABLE = "stogger_logs";
    /** Environment variable holding the PostgreSQL password. */
    public static final String PASSWORD_VARIABLE = "STOGGER_POSTGRES_PASSWORD";
    /** Placeholder in the DSN that is replaced with the password. */
    public static final String PASSWORD_PLACEHOLDER = "%PASSWORD%";

    /**
     * Normalises blank values: a blank DSN becomes null and a blank table the default.
     */
    public StoggerConfig {
        postgresDsn = blankToNull(postgresDsn);
        postgresTable = blankToNull(postgresTable) == null ? DEFAULT_TABLE : postgresTable.trim();
    }

    /**
     * The configuration with every key at its default: PostgreSQL off.
     *
     * @return the default configuration
     */
    public static StoggerConfig defaults() {
        return new StoggerConfig(false, null, DEFAULT_TABLE, null);
    }

    /**
     * Reads the configuration from system properties, the java.util.logging configuration and
     * the environment, as the class documentation describes.
     *
     * @return the configuration; never null
     */
    public static StoggerConfig load() {
        return load(LoggingProperties.ofLogManager(Diagnostics::warn), System::getenv);
    }

    /** The seam behind {@link #load()}: each source is a lookup by name. */
    static StoggerConfig load(Function<String, String> loggingProperties,
            Function<String, String> systemProperties, Function<String, String> environment,
            Consumer<String> warnings) {
        LoggingProperties keys = new LoggingProperties(
                LoggingProperties.layered(loggingProperties, systemProperties), List::of, warnings);
        return load(keys, environment);
    }

    private static StoggerConfig load(LoggingProperties keys, Function<String, String> environment) {
        return new StoggerConfig(keys.bool(ENABLE_POSTGRES, false), keys.raw(POSTGRES_DSN), keys.raw(POSTGRES_TABLE),
                environment.apply(PASSWORD_VARIABLE));
    }

    /**
     * Whether the DSN needs a password that the environment did not provide.
     *
     * @return true when the DSN contains {@value #PASSWORD_PLACEHOLDER} and no password is set
     */
    public boolean passwordMissing() {
        return postgresDsn != null && postgresDsn.contains(PASSWORD_PLACEHOLDER) && postgresPassword == null;
    }

    /**
     * Shows every key; the password only as {@code ***}.
     */
    @Override
    public String toString() {
        return "StoggerConfig[" + ENABLE_POSTGRES + "=" + enablePostgres + ", " + POSTGRES_DSN + "="
                + (postgresDsn == null ? "(not set)"
                        : PasswordMask.of(Collections.singletonList(postgresPassword)).mask(postgresDsn)) + ", "
                + POSTGRES_TABLE + "=" + postgresTable + ", " + PASSWORD_VARIABLE + "="
                + (postgresPassword == null ? "(not set)" : "***") + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
