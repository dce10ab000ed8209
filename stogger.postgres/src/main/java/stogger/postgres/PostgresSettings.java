package stogger.postgres;

import static stogger.postgres.internal.config.HandlerKey.BATCH_SIZE;
import static stogger.postgres.internal.config.HandlerKey.BLOCK_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.CLOSE_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.CONNECT_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.CREATE_TABLE;
import static stogger.postgres.internal.config.HandlerKey.DSN;
import static stogger.postgres.internal.config.HandlerKey.FILTER;
import static stogger.postgres.internal.config.HandlerKey.FLUSH_INTERVAL_MS;
import static stogger.postgres.internal.config.HandlerKey.FLUSH_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.LEVEL;
import static stogger.postgres.internal.config.HandlerKey.MAX_STRING_LENGTH;
import static stogger.postgres.internal.config.HandlerKey.MODE;
import static stogger.postgres.internal.config.HandlerKey.OVERFLOW;
import static stogger.postgres.internal.config.HandlerKey.POOLER;
import static stogger.postgres.internal.config.HandlerKey.QUEUE_CAPACITY;
import static stogger.postgres.internal.config.HandlerKey.RETRY_INITIAL_MS;
import static stogger.postgres.internal.config.HandlerKey.RETRY_MAX_MS;
import static stogger.postgres.internal.config.HandlerKey.SOCKET_TIMEOUT_MS;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_DIRECTORY;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_MAX_BYTES;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_MODE;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_SYNC;
import static stogger.postgres.internal.config.HandlerKey.SPOOL_SYNC_INTERVAL_MS;
import static stogger.postgres.internal.config.HandlerKey.SYNCHRONOUS_COMMIT;
import static stogger.postgres.internal.config.HandlerKey.TABLE;
import static stogger.postgres.internal.config.HandlerKey.WRITE_TIMEOUT_MS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import stogger.core.StoggerConfig;
import stogger.core.spi.LoggingProperties;
import stogger.postgres.internal.config.ConnectionTarget;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.config.HandlerKey;
import stogger.postgres.internal.config.SettingsReader;
import stogger.postgres.internal.config.TableName;

/**
 * The settings of a {@link PostgresHandler}, immutable and validated once, at construction: the
 * DSN and the table name are parsed here, and every value is within the limits of the key table
 * that {@link PostgresHandler} documents.
 *
 * <p>Build them with {@link #builder()} (whose setters and {@link Builder#build()} reject bad
 * values with an {@link IllegalArgumentException} naming the setting, its limits and the value),
 * from the logging configuration with {@link #fromLogManager()} (the same limits; a bad value is
 * reported in {@link #problems()} and replaced by the default), or from a {@link StoggerConfig}
 * with {@link #fromStoggerConfig(StoggerConfig)}. {@link #toString()} never shows the password.
 */
public final class PostgresSettings {

    /** Prefix of every handler key: the handler's class name. */
    public static final String PREFIX = HandlerKey.PREFIX;
    /** Default connect timeout: 5 seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = CONNECT_TIMEOUT_MS.defaultInt();
    /** Default write timeout (the server's statement and lock timeouts): 5 seconds. */
    public static final int DEFAULT_WRITE_TIMEOUT_MS = WRITE_TIMEOUT_MS.defaultInt();
    /** Default socket timeout: 10 seconds. */
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = SOCKET_TIMEOUT_MS.defaultInt();
    /** Default first reconnect delay: 1 second. */
    public static final int DEFAULT_RETRY_INITIAL_MS = RETRY_INITIAL_MS.defaultInt();
    /** Default longest reconnect delay: 60 seconds. */
    public static final int DEFAULT_RETRY_MAX_MS = RETRY_MAX_MS.defaultInt();
    /** Default queue capacity in async mode: 16384 records. */
    public static final int DEFAULT_QUEUE_CAPACITY = QUEUE_CAPACITY.defaultInt();
    /** Default largest batch in async mode: 1000 rows. */
    public static final int DEFAULT_BATCH_SIZE = BATCH_SIZE.defaultInt();
    /** Default longest wait for a batch to fill in async mode: 100 ms. */
    public static final int DEFAULT_FLUSH_INTERVAL_MS = FLUSH_INTERVAL_MS.defaultInt();
    /** Default longest wait of a caller on a full queue with overflow {@code block}: 5 seconds. */
    public static final int DEFAULT_BLOCK_TIMEOUT_MS = BLOCK_TIMEOUT_MS.defaultInt();
    /** Default longest wait of {@code flush()} in async mode: 10 seconds. */
    public static final int DEFAULT_FLUSH_TIMEOUT_MS = FLUSH_TIMEOUT_MS.defaultInt();
    /** Default longest wait of {@code close()} for the queue to drain: 10 seconds. */
    public static final int DEFAULT_CLOSE_TIMEOUT_MS = CLOSE_TIMEOUT_MS.defaultInt();
    /** Default largest size of the spool on disk: 256 MiB. */
    public static final int DEFAULT_SPOOL_MAX_BYTES = SPOOL_MAX_BYTES.defaultInt();
    /** Default longest wait of a spooled row to be forced to disk with {@code spoolSync = interval}: 1 second. */
    public static final int DEFAULT_SPOOL_SYNC_INTERVAL_MS = SPOOL_SYNC_INTERVAL_MS.defaultInt();

    private final Map<HandlerKey, Object> values;
    private final String password;
    private final ConnectionTarget target;
    private final TableName tableName;
    private final String unusable;
    private final List<String> problems;

    private PostgresSettings(Map<HandlerKey, Object> values, String password, ConnectionTarget target,
            TableName tableName, String unusable, List<String> problems) {
        this.values = new EnumMap<>(values);
        this.password = password;
        this.target = target;
        this.tableName = tableName;
        this.unusable = unusable;
        this.problems = List.copyOf(problems);
    }

    /**
     * A builder with every setting at its default and no DSN.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the handler's keys from the logging configuration (system properties of the same name
     * win), falling back to {@code stogger.postgres_dsn} and {@code stogger.postgres_table}, and
     * the password from {@code STOGGER_POSTGRES_PASSWORD}. Never throws: bad values are kept in
     * {@link #problems()} and replaced by defaults; a missing or invalid DSN or table name makes
     * the settings {@linkplain #unusableReason() unusable}.
     *
     * @return the settings
     */
    public static PostgresSettings fromLogManager() {
        List<String> problems = new ArrayList<>();
        return read(LoggingProperties.ofLogManager(problems::add), problems,
                System.getenv(StoggerConfig.PASSWORD_VARIABLE), null);
    }

    /**
     * The settings for {@link stogger.core.Stogger#init()}: DSN, table and password from the
     * stogger configuration, every other key from the logging configuration.
     *
     * @param config the stogger configuration
     * @return the settings; never throws
     */
    public static PostgresSettings fromStoggerConfig(StoggerConfig config) {
        List<String> problems = new ArrayList<>();
        return read(LoggingProperties.ofLogManager(problems::add), problems, config.postgresPassword(), config);
    }

    /** The seam of the properties path: keys from {@code source}, no file to look for unknown keys in. */
    static PostgresSettings fromProperties(java.util.function.Function<String, String> source, String password) {
        List<String> problems = new ArrayList<>();
        return read(new LoggingProperties(source, List::of, problems::add), problems, password, null);
    }

    /**
     * Reads every key of the table; with a stogger configuration its DSN and table win, and
     * Stogger.init() has already warned about a missing password.
     */
    static PostgresSettings read(LoggingProperties keys, List<String> problems, String password,
            StoggerConfig config) {
        SettingsReader.Read read = SettingsReader.read(keys, problems, password, config);
        return new PostgresSettings(read.values(), password, read.target(), read.table(), read.unusable(), problems);
    }

    private int integer(HandlerKey key) {
        return (Integer) values.get(key);
    }

    /** The DSN as configured (the placeholder not yet replaced), or null when not configured. */
    public String dsn() {
        return (String) values.get(DSN);
    }

    /** The table name as configured. */
    public String table() {
        return (String) values.get(TABLE);
    }

    /** The password for {@code %PASSWORD%}, or null. */
    public String password() {
        return password;
    }

    /** Where to connect, parsed; null when {@link #unusableReason()} is not. */
    ConnectionTarget target() {
        return target;
    }

    /** The table, validated and quoted; null when {@link #unusableReason()} is not. */
    TableName tableName() {
        return tableName;
    }

    /**
     * Why a handler with these settings can never write (no DSN, a DSN that cannot be parsed, an
     * invalid table name), naming the key; null when it can.
     *
     * @return the reason, or null
     */
    public String unusableReason() {
        return unusable;
    }

    /** The handler's level. */
    public Level level() {
        return (Level) values.get(LEVEL);
    }

    /** The handler's filter, or null. */
    public Filter filter() {
        return (Filter) values.get(FILTER);
    }

    /** The longest wait for a connection, in milliseconds. */
    public int connectTimeoutMs() {
        return integer(CONNECT_TIMEOUT_MS);
    }

    /** Whether missing tables and indexes are created ({@code createTable = true}). */
    public boolean createTable() {
        return "true".equals(values.get(CREATE_TABLE));
    }

    /** Whether the DSN points at a transaction pooler ({@code pooler = transaction}). */
    public boolean transactionPooler() {
        return "transaction".equals(values.get(POOLER));
    }

    /** The longest a write may take on the server, in milliseconds. */
    public int writeTimeoutMs() {
        return integer(WRITE_TIMEOUT_MS);
    }

    /** The longest wait for one network read or write, in milliseconds; 0 waits forever. */
    public int socketTimeoutMs() {
        return integer(SOCKET_TIMEOUT_MS);
    }

    /** Whether the handler's session keeps {@code synchronous_commit} on. */
    public boolean synchronousCommit() {
        return "on".equals(values.get(SYNCHRONOUS_COMMIT));
    }

    /** The first reconnect delay, in milliseconds. */
    public int retryInitialMs() {
        return integer(RETRY_INITIAL_MS);
    }

    /** The longest reconnect delay, in milliseconds; never less than {@link #retryInitialMs()}. */
    public int retryMaxMs() {
        return integer(RETRY_MAX_MS);
    }

    /** The longest string stored whole, in chars. */
    public int maxStringLength() {
        return integer(MAX_STRING_LENGTH);
    }

    /** Whether records are queued and written in batches by a writer thread ({@code mode = async}). */
    public boolean async() {
        return "async".equals(values.get(MODE));
    }

    /** The most records the async queue holds. */
    public int queueCapacity() {
        return integer(QUEUE_CAPACITY);
    }

    /** The most rows in one batch. */
    public int batchSize() {
        return integer(BATCH_SIZE);
    }

    /** The longest wait for a batch to fill before it is written, in milliseconds. */
    public int flushIntervalMs() {
        return integer(FLUSH_INTERVAL_MS);
    }

    /** Whether a caller waits (up to {@link #blockTimeoutMs()}) on a full queue instead of dropping. */
    public boolean blockOnOverflow() {
        return "block".equals(values.get(OVERFLOW));
    }

    /** The longest wait of a caller on a full queue with overflow {@code block}, in milliseconds. */
    public int blockTimeoutMs() {
        return integer(BLOCK_TIMEOUT_MS);
    }

    /** The longest wait of {@code flush()}, in milliseconds. */
    public int flushTimeoutMs() {
        return integer(FLUSH_TIMEOUT_MS);
    }

    /** The longest wait of {@code close()} for the queue to drain, in milliseconds. */
    public int closeTimeoutMs() {
        return integer(CLOSE_TIMEOUT_MS);
    }

    /** The spool's directory, or null when there is no spool ({@code spoolDirectory} not set). */
    public Path spoolDirectory() {
        String directory = (String) values.get(SPOOL_DIRECTORY);
        return directory == null ? null : Path.of(directory);
    }

    /** Whether every row goes through the spool first ({@code spoolMode = always}). */
    public boolean spoolAlways() {
        return "always".equals(values.get(SPOOL_MODE));
    }

    /** The spool's largest size on disk, in bytes. */
    public int spoolMaxBytes() {
        return integer(SPOOL_MAX_BYTES);
    }

    /** Whether spooled rows are forced to disk before each append returns ({@code spoolSync = batch}). */
    public boolean spoolSyncEveryAppend() {
        return "batch".equals(values.get(SPOOL_SYNC));
    }

    /** With {@code spoolSync = interval}, the longest a spooled row waits to be forced to disk, in milliseconds. */
    public int spoolSyncIntervalMs() {
        return integer(SPOOL_SYNC_INTERVAL_MS);
    }

    /** The configuration problems found while reading, each naming its key; empty when none. */
    public List<String> problems() {
        return problems;
    }

    /** Every setting by its key, the DSN without its password. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("PostgresSettings[");
        values.forEach((key, value) -> {
            if (key == DSN) {
                value = target != null ? target.description() : value == null ? "(not set)" : "(invalid DSN)";
            } else if (key == FILTER && value != null) {
                value = value.getClass().getName();
            }
            text.append(key == DSN ? "" : ", ").append(key.key()).append('=').append(value);
        });
        return text.append(']').toString();
    }

    /** Builds {@link PostgresSettings}; each setter checks its value against the key table at once. */
    public static final class Builder {
        private final Map<HandlerKey, Object> values = new EnumMap<>(HandlerKey.class);
        private String password;

        private Builder() {
            for (HandlerKey key : HandlerKey.values()) {
                values.put(key, switch (key.type()) {
                    case TEXT, FILTER -> key.defaultValue();
                    case LEVEL -> Level.parse(key.defaultValue());
                    case INTEGER -> key.defaultInt();
                    case CHOICE -> key.defaultValue();
                });
            }
        }

        private Builder set(HandlerKey key, Object value) {
            values.put(key, value);
            return this;
        }

        private Builder setInt(HandlerKey key, int value) {
            return set(key, key.check(value));
        }

        /** The DSN (required); see {@link PostgresHandler} for the forms. */
        public Builder dsn(String value) {
            Dsn.parse(value, null, DSN.key());
            return set(DSN, value.trim());
        }

        /** The table, optionally schema-qualified; default {@code stogger_logs}. */
        public Builder table(String value) {
            TableName.parse(value, TABLE.key());
            return set(TABLE, value.trim());
        }

        /** The password that replaces {@code %PASSWORD%} in the DSN. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** The handler's level; default ALL. */
        public Builder level(Level value) {
            if (value == null) {
                throw new IllegalArgumentException("level must not be null");
            }
            return set(LEVEL, value);
        }

        /** The handler's filter; default none. */
        public Builder filter(Filter value) {
            return set(FILTER, value);
        }

        /** The longest wait for a connection; default 5000 ms. */
        public Builder connectTimeoutMs(int value) {
            return setInt(CONNECT_TIMEOUT_MS, value);
        }

        /** Whether missing tables and indexes are created; default true; false: never any DDL. */
        public Builder createTable(boolean value) {
            return set(CREATE_TABLE, Boolean.toString(value));
        }

        /** {@code none} (default) or {@code transaction}: the DSN points at a transaction pooler. */
        public Builder pooler(String value) {
            return set(POOLER, POOLER.check(value));
        }

        /** The longest a write may take on the server; default 5000 ms. */
        public Builder writeTimeoutMs(int value) {
            return setInt(WRITE_TIMEOUT_MS, value);
        }

        /** The longest wait for one read or write; default 10000 ms; 0 waits forever; above writeTimeoutMs. */
        public Builder socketTimeoutMs(int value) {
            return setInt(SOCKET_TIMEOUT_MS, value);
        }

        /** Whether commits wait for the WAL flush; default true. */
        public Builder synchronousCommit(boolean value) {
            return set(SYNCHRONOUS_COMMIT, value ? "on" : "off");
        }

        /** The first reconnect delay; default 1000 ms. */
        public Builder retryInitialMs(int value) {
            return setInt(RETRY_INITIAL_MS, value);
        }

        /** The longest reconnect delay; default 60000 ms; at least {@link #retryInitialMs(int)}. */
        public Builder retryMaxMs(int value) {
            return setInt(RETRY_MAX_MS, value);
        }

        /** The longest string stored whole; default 65536 chars. */
        public Builder maxStringLength(int value) {
            return setInt(MAX_STRING_LENGTH, value);
        }

        /** {@code sync} (default: each record committed before publish returns) or {@code async} (queue and batches). */
        public Builder mode(String value) {
            return set(MODE, MODE.check(value));
        }

        /** The most records the async queue holds; default 16384. */
        public Builder queueCapacity(int value) {
            return setInt(QUEUE_CAPACITY, value);
        }

        /** The most rows in one batch; default 1000. */
        public Builder batchSize(int value) {
            return setInt(BATCH_SIZE, value);
        }

        /** The longest wait for a batch to fill; default 100 ms; 0 writes what is there at once. */
        public Builder flushIntervalMs(int value) {
            return setInt(FLUSH_INTERVAL_MS, value);
        }

        /**
         * {@code block} (default: a caller waits up to {@link #blockTimeoutMs(int)} for room while
         * the database is connected) or {@code drop} (a full queue drops the new record at once);
         * either way a dropped record is counted.
         */
        public Builder overflow(String value) {
            return set(OVERFLOW, OVERFLOW.check(value));
        }

        /** The longest wait of a caller on a full queue with overflow {@code block}; default 5000 ms. */
        public Builder blockTimeoutMs(int value) {
            return setInt(BLOCK_TIMEOUT_MS, value);
        }

        /** The longest wait of {@code flush()}; default 10000 ms. */
        public Builder flushTimeoutMs(int value) {
            return setInt(FLUSH_TIMEOUT_MS, value);
        }

        /** The longest wait of {@code close()} for the queue to drain; default 10000 ms. */
        public Builder closeTimeoutMs(int value) {
            return setInt(CLOSE_TIMEOUT_MS, value);
        }

        /** A directory for the durable spool, created if missing; default none (no spool). */
        public Builder spoolDirectory(String value) {
            return set(SPOOL_DIRECTORY, SettingsReader.spoolPath(value, SPOOL_DIRECTORY.key()).toString());
        }

        /** {@code outage} (default: only rows the database cannot take now) or {@code always} (every row first). */
        public Builder spoolMode(String value) {
            return set(SPOOL_MODE, SPOOL_MODE.check(value));
        }

        /** The spool's largest size on disk; default 256 MiB; at least 64 KiB. */
        public Builder spoolMaxBytes(int value) {
            return setInt(SPOOL_MAX_BYTES, value);
        }

        /** {@code interval} (default: forced every spoolSyncIntervalMs) or {@code batch} (before each append returns). */
        public Builder spoolSync(String value) {
            return set(SPOOL_SYNC, SPOOL_SYNC.check(value));
        }

        /** With {@code spoolSync = interval}, the longest a spooled row waits to be forced to disk; default 1000 ms. */
        public Builder spoolSyncIntervalMs(int value) {
            return setInt(SPOOL_SYNC_INTERVAL_MS, value);
        }

        /**
         * The settings, with the DSN parsed (its {@code %PASSWORD%} replaced) and the table name
         * validated.
         *
         * @return the settings
         * @throws IllegalArgumentException when no DSN was set, when {@code retryMaxMs} is less
         *     than {@code retryInitialMs}, or when {@code socketTimeoutMs} is not 0 and not above
         *     {@code writeTimeoutMs}
         */
        public PostgresSettings build() {
            String dsn = (String) values.get(DSN);
            if (dsn == null) {
                throw new IllegalArgumentException("dsn is required");
            }
            if ((Integer) values.get(RETRY_MAX_MS) < (Integer) values.get(RETRY_INITIAL_MS)) {
                throw new IllegalArgumentException("retryMaxMs (" + values.get(RETRY_MAX_MS)
                        + ") must be at least retryInitialMs (" + values.get(RETRY_INITIAL_MS) + ")");
            }
            int socketTimeout = (Integer) values.get(SOCKET_TIMEOUT_MS);
            if (socketTimeout != 0 && socketTimeout <= (Integer) values.get(WRITE_TIMEOUT_MS)) {
                throw new IllegalArgumentException("socketTimeoutMs (" + socketTimeout + ") must be 0 or above"
                        + " writeTimeoutMs (" + values.get(WRITE_TIMEOUT_MS) + ")");
            }
            ConnectionTarget target = Dsn.parse(dsn, password, DSN.key());
            // What of the DSN cannot be honoured is reported by the handler, as on the properties path.
            return new PostgresSettings(values, password, target, TableName.parse((String) values.get(TABLE),
                    TABLE.key()), null, target.warnings());
        }
    }
}
