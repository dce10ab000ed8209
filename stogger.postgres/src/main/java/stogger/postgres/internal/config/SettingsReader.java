package stogger.postgres.internal.config;

import static stogger.postgres.internal.config.HandlerKey.DSN;
import static stogger.postgres.internal.config.HandlerKey.RETRY_INITIAL_MS;
import static stogger.postgres.internal.config.HandlerKey.RETRY_MAX_MS;
import static stogger.postgres.internal.config.HandlerKey.SOCKET_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_DIRECTORY;
import static stogger.postgres.internal.config.HandlerKey.TABLE;
import static stogger.postgres.internal.config.HandlerKey.WRITE_TIMEOUT_MS;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import stogger.core.StoggerConfig;
import stogger.core.spi.LoggingProperties;

/**
 * The properties path of the handler's settings: every key of the {@link HandlerKey} table read
 * from the logging configuration with the table's limits, the settings that depend on each other
 * reconciled (each adjustment reported with both keys), the DSN and the table name parsed once.
 */
public final class SettingsReader {

    /** What was read: a value for every key, and the parsed DSN and table (null, with the reason, when unusable). */
    public record Read(Map<HandlerKey, Object> values, ConnectionTarget target, TableName table, String unusable) {
    }

    private SettingsReader() {
    }

    /**
     * Reads every key of the table; with a stogger configuration its DSN and table win, and
     * Stogger.init() has already warned about a missing password. Never throws: each bad value
     * is added to {@code problems}, naming its key, and replaced by its default.
     */
    public static Read read(LoggingProperties keys, List<String> problems, String password, StoggerConfig config) {
        Map<HandlerKey, Object> values = new EnumMap<>(HandlerKey.class);
        for (HandlerKey key : HandlerKey.values()) {
            values.put(key, read(keys, key));
        }
        if (config != null) {
            values.put(DSN, config.postgresDsn());
            values.put(TABLE, config.postgresTable());
        } else {
            values.computeIfAbsent(DSN, k -> keys.raw(StoggerConfig.POSTGRES_DSN));
            values.put(TABLE, keys.string(TABLE.fullKey(), keys.string(StoggerConfig.POSTGRES_TABLE,
                    TABLE.defaultValue())));
        }
        keys.unknownKeys(HandlerKey.PREFIX, HandlerKey.names());
        int retryInitial = (Integer) values.get(RETRY_INITIAL_MS);
        if ((Integer) values.get(RETRY_MAX_MS) < retryInitial) {
            problems.add(RETRY_MAX_MS.fullKey() + " = " + values.get(RETRY_MAX_MS) + " is less than "
                    + RETRY_INITIAL_MS.fullKey() + " = " + retryInitial + "; using " + retryInitial);
            values.put(RETRY_MAX_MS, retryInitial);
        }
        int writeTimeout = (Integer) values.get(WRITE_TIMEOUT_MS);
        int socketTimeout = (Integer) values.get(SOCKET_TIMEOUT_MS);
        if (socketTimeout != 0 && socketTimeout <= writeTimeout) {
            int raised = socketAbove(writeTimeout);
            problems.add(SOCKET_TIMEOUT_MS.fullKey() + " = " + socketTimeout + " is not above "
                    + WRITE_TIMEOUT_MS.fullKey() + " = " + writeTimeout + " (the server must end a slow write before"
                    + " the client gives up on it); using " + raised);
            values.put(SOCKET_TIMEOUT_MS, raised);
        }
        String spoolDirectory = (String) values.get(SPOOL_DIRECTORY);
        if (spoolDirectory != null) {
            try {
                values.put(SPOOL_DIRECTORY, spoolPath(spoolDirectory, SPOOL_DIRECTORY.fullKey()).toString());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage() + "; running without a spool");
                values.put(SPOOL_DIRECTORY, null);
            }
        }
        String dsn = (String) values.get(DSN);
        if (config == null && password == null && dsn != null && dsn.contains(StoggerConfig.PASSWORD_PLACEHOLDER)) {
            problems.add(DSN.fullKey() + " contains " + StoggerConfig.PASSWORD_PLACEHOLDER + " but the environment"
                    + " variable " + StoggerConfig.PASSWORD_VARIABLE + " is not set; connecting without a password");
        }
        String unusable = null;
        ConnectionTarget target = null;
        TableName table = null;
        try {
            if (dsn == null) {
                throw new IllegalArgumentException(DSN.fullKey() + " is not set (nor " + StoggerConfig.POSTGRES_DSN
                        + ")");
            }
            target = Dsn.parse(dsn, password, DSN.fullKey());
            problems.addAll(target.warnings());
            table = TableName.parse((String) values.get(TABLE), TABLE.fullKey());
        } catch (IllegalArgumentException e) {
            unusable = e.getMessage();
            problems.add(unusable + "; the handler writes nothing");
        }
        return new Read(values, target, table, unusable);
    }

    /** The spool directory as a path; blank or not a path of this file system is refused, naming the key and the value. */
    public static Path spoolPath(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be a directory, got '" + value + "'");
        }
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " must be a directory, got '" + value + "': " + e.getReason());
        }
    }

    /** A socket timeout that leaves the server time to report its own timeout: 5 s more. */
    private static int socketAbove(int writeTimeoutMs) {
        return (int) Math.min(SOCKET_TIMEOUT_MS.max(), writeTimeoutMs + 5_000L);
    }

    private static Object read(LoggingProperties keys, HandlerKey key) {
        String name = key.fullKey();
        return switch (key.type()) {
            case TEXT -> keys.raw(name);
            case LEVEL -> keys.level(name, Level.parse(key.defaultValue()));
            case FILTER -> keys.filter(name);
            case INTEGER -> keys.integer(name, key.defaultInt(), key.min(), key.max(), key.unit().toString());
            case CHOICE -> keys.choice(name, key.defaultValue(), key.choices());
        };
    }
}
