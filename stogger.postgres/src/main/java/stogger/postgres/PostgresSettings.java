package stogger.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import stogger.core.PostgresRenderer;
import stogger.core.StoggerConfig;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.config.LoggingProperties;
import stogger.postgres.internal.config.TableName;

/**
 * The settings of a {@link PostgresHandler}, immutable and validated once.
 *
 * <p>Build them with {@link #builder()} (whose setters reject bad values with an
 * {@link IllegalArgumentException} naming the setting and value), from the logging
 * configuration with {@link #fromLogManager()} (bad values are reported and replaced by the
 * default), or from a {@link StoggerConfig} with {@link #fromStoggerConfig(StoggerConfig)}. The
 * keys and defaults are listed on {@link PostgresHandler}. {@link #toString()} never shows the
 * password.
 */
public final class PostgresSettings {

    /** Prefix of every handler key: the handler's class name. */
    public static final String PREFIX = "stogger.postgres.PostgresHandler";
    /** Default connect timeout: 5 seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    /** Default socket timeout: 10 seconds. */
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 10_000;
    /** Default first reconnect delay: 1 second. */
    public static final int DEFAULT_RETRY_INITIAL_MS = 1_000;
    /** Default longest reconnect delay: 60 seconds. */
    public static final int DEFAULT_RETRY_MAX_MS = 60_000;
    /** Default queue capacity in async mode: 16384 records. */
    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;
    /** Default largest batch in async mode: 1000 rows. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    /** Default longest wait for a batch to fill in async mode: 100 ms. */
    public static final int DEFAULT_FLUSH_INTERVAL_MS = 100;
    /** Default longest wait of a caller on a full queue with overflow {@code block}: 100 ms. */
    public static final int DEFAULT_BLOCK_TIMEOUT_MS = 100;
    /** Default longest wait of {@code flush()} in async mode: 10 seconds. */
    public static final int DEFAULT_FLUSH_TIMEOUT_MS = 10_000;
    /** Default longest wait of {@code close()} for the queue to drain: 10 seconds. */
    public static final int DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

    private final String dsn;
    private final String table;
    private final String password;
    private final Level level;
    private final Filter filter;
    private final int connectTimeoutMs;
    private final int socketTimeoutMs;
    private final boolean synchronousCommit;
    private final int retryInitialMs;
    private final int retryMaxMs;
    private final int maxStringLength;
    private final boolean async;
    private final int queueCapacity;
    private final int batchSize;
    private final int flushIntervalMs;
    private final boolean blockOnOverflow;
    private final int blockTimeoutMs;
    private final int flushTimeoutMs;
    private final int closeTimeoutMs;
    private final List<String> problems;

    private PostgresSettings(Builder builder, List<String> problems) {
        this.dsn = builder.dsn;
        this.table = builder.table;
        this.password = builder.password;
        this.level = builder.level;
        this.filter = builder.filter;
        this.connectTimeoutMs = builder.connectTimeoutMs;
        this.socketTimeoutMs = builder.socketTimeoutMs;
        this.synchronousCommit = builder.synchronousCommit;
        this.retryInitialMs = builder.retryInitialMs;
        this.retryMaxMs = Math.max(builder.retryMaxMs, builder.retryInitialMs);
        this.maxStringLength = builder.maxStringLength;
        this.async = builder.async;
        this.queueCapacity = builder.queueCapacity;
        this.batchSize = builder.batchSize;
        this.flushIntervalMs = builder.flushIntervalMs;
        this.blockOnOverflow = builder.blockOnOverflow;
        this.blockTimeoutMs = builder.blockTimeoutMs;
        this.flushTimeoutMs = builder.flushTimeoutMs;
        this.closeTimeoutMs = builder.closeTimeoutMs;
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
     * Reads the handler's keys from {@link LogManager} (system properties of the same name win),
     * falling back to {@code stogger.postgres_dsn} and {@code stogger.postgres_table}, and the
     * password from {@code STOGGER_POSTGRES_PASSWORD}. Never throws: bad values are kept in
     * {@link #problems()} and replaced by defaults; a bad table name becomes a problem too.
     *
     * @return the settings
     */
    public static PostgresSettings fromLogManager() {
        LogManager manager = LogManager.getLogManager();
        return fromProperties(key -> {
            String value = System.getProperty(key);
            return value != null ? value : manager.getProperty(key);
        }, System.getenv(StoggerConfig.PASSWORD_VARIABLE), true);
    }

    /**
     * The settings for {@link stogger.core.Stogger#init()}: DSN, table and password from the
     * stogger configuration, every other key from the logging configuration.
     *
     * @param config the stogger configuration
     * @return the settings; never throws
     */
    public static PostgresSettings fromStoggerConfig(StoggerConfig config) {
        LogManager manager = LogManager.getLogManager();
        Function<String, String> source = key -> {
            switch (key) {
                case PREFIX + ".dsn":
                    return config.postgresDsn();
                case PREFIX + ".table":
                    return config.postgresTable();
                default:
                    String value = System.getProperty(key);
                    return value != null ? value : manager.getProperty(key);
            }
        };
        // Stogger.init() has already warned about a missing password.
        return fromProperties(source, config.postgresPassword(), false);
    }

    static PostgresSettings fromProperties(Function<String, String> source, String password) {
        return fromProperties(source, password, true);
    }

    private static PostgresSettings fromProperties(Function<String, String> source, String password,
            boolean warnMissingPassword) {
        List<String> problems = new ArrayList<>();
        LoggingProperties keys = new LoggingProperties(PREFIX, source, problems::add);
        Builder builder = new Builder();
        builder.dsn = keys.string("dsn", keys.raw(StoggerConfig.POSTGRES_DSN));
        String table = keys.string("table", keys.raw(StoggerConfig.POSTGRES_TABLE));
        table = table == null ? StoggerConfig.DEFAULT_TABLE : table;
        try {
            TableName.parse(table, keys.key("table"));
            builder.table = table;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            builder.table = null;
        }
        builder.password = password;
        builder.level = keys.level("level", Level.ALL);
        builder.filter = keys.filter("filter");
        builder.connectTimeoutMs = keys.integer("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000,
                "milliseconds");
        builder.socketTimeoutMs = keys.integer("socketTimeoutMs", DEFAULT_SOCKET_TIMEOUT_MS, 0, 3_600_000,
                "milliseconds");
        builder.synchronousCommit = "on".equals(keys.choice("synchronousCommit", "on", "on", "off"));
        builder.retryInitialMs = keys.integer("retryInitialMs", DEFAULT_RETRY_INITIAL_MS, 1, 3_600_000,
                "milliseconds");
        builder.retryMaxMs = keys.integer("retryMaxMs", DEFAULT_RETRY_MAX_MS, 1, 86_400_000, "milliseconds");
        builder.maxStringLength = keys.integer("maxStringLength", PostgresRenderer.DEFAULT_MAX_STRING_LENGTH,
                PostgresRenderer.MIN_MAX_STRING_LENGTH, Integer.MAX_VALUE, "chars");
        builder.async = "async".equals(keys.choice("mode", "sync", "sync", "async"));
        builder.queueCapacity = keys.integer("queueCapacity", DEFAULT_QUEUE_CAPACITY, 1, 10_000_000, "records");
        builder.batchSize = keys.integer("batchSize", DEFAULT_BATCH_SIZE, 1, 100_000, "rows");
        builder.flushIntervalMs = keys.integer("flushIntervalMs", DEFAULT_FLUSH_INTERVAL_MS, 0, 60_000,
                "milliseconds");
        builder.blockOnOverflow = "block".equals(keys.choice("overflow", "drop", "drop", "block"));
        builder.blockTimeoutMs = keys.integer("blockTimeoutMs", DEFAULT_BLOCK_TIMEOUT_MS, 0, 600_000, "milliseconds");
        builder.flushTimeoutMs = keys.integer("flushTimeoutMs", DEFAULT_FLUSH_TIMEOUT_MS, 0, 3_600_000,
                "milliseconds");
        builder.closeTimeoutMs = keys.integer("closeTimeoutMs", DEFAULT_CLOSE_TIMEOUT_MS, 0, 3_600_000,
                "milliseconds");
        if (warnMissingPassword && password == null && builder.dsn != null
                && builder.dsn.contains(StoggerConfig.PASSWORD_PLACEHOLDER)) {
            problems.add(keys.key("dsn") + " contains " + StoggerConfig.PASSWORD_PLACEHOLDER + " but the environment"
                    + " variable " + StoggerConfig.PASSWORD_VARIABLE + " is not set; connecting without a password");
        }
        if (builder.dsn == null) {
            problems.add(keys.key("dsn") + " is not set (nor " + StoggerConfig.POSTGRES_DSN
                    + "); the handler writes nothing");
        }
        return new PostgresSettings(builder, problems);
    }

    /** The DSN, or null when not configured. */
    public String dsn() {
        return dsn;
    }

    /** The table name as configured, or null when it was invalid. */
    public String table() {
        return table;
    }

    /** The password for {@code %PASSWORD%}, or null. */
    public String password() {
        return password;
    }

    /** The handler's level. */
    public Level level() {
        return level;
    }

    /** The handler's filter, or null. */
    public Filter filter() {
        return filter;
    }

    /** The longest wait for a connection, in milliseconds. */
    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** The longest wait for one network read or write, in milliseconds; 0 waits forever. */
    public int socketTimeoutMs() {
        return socketTimeoutMs;
    }

    /** Whether the handler's session keeps {@code synchronous_commit} on. */
    public boolean synchronousCommit() {
        return synchronousCommit;
    }

    /** The first reconnect delay, in milliseconds. */
    public int retryInitialMs() {
        return retryInitialMs;
    }

    /** The longest reconnect delay, in milliseconds. */
    public int retryMaxMs() {
        return retryMaxMs;
    }

    /** The longest string stored whole, in chars. */
    public int maxStringLength() {
        return maxStringLength;
    }

    /** Whether records are queued and written in batches by a writer thread ({@code mode = async}). */
    public boolean async() {
        return async;
    }

    /** The most records the async queue holds. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** The most rows in one batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The longest wait for a batch to fill before it is written, in milliseconds. */
    public int flushIntervalMs() {
        return flushIntervalMs;
    }

    /** Whether a caller waits (up to {@link #blockTimeoutMs()}) on a full queue instead of dropping. */
    public boolean blockOnOverflow() {
        return blockOnOverflow;
    }

    /** The longest wait of a caller on a full queue with overflow {@code block}, in milliseconds. */
    public int blockTimeoutMs() {
        return blockTimeoutMs;
    }

    /** The longest wait of {@code flush()}, in milliseconds. */
    public int flushTimeoutMs() {
        return flushTimeoutMs;
    }

    /** The longest wait of {@code close()} for the queue to drain, in milliseconds. */
    public int closeTimeoutMs() {
        return closeTimeoutMs;
    }

    /** The configuration problems found while reading, each naming its key; empty when none. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return "PostgresSettings[dsn=" + (dsn == null ? "(not set)" : Dsn.describe(dsn, password))
                + ", table=" + table + ", level=" + level + ", connectTimeoutMs=" + connectTimeoutMs
                + ", socketTimeoutMs=" + socketTimeoutMs + ", synchronousCommit=" + (synchronousCommit ? "on" : "off")
                + ", retryInitialMs=" + retryInitialMs + ", retryMaxMs=" + retryMaxMs
                + ", maxStringLength=" + maxStringLength + ", mode=" + (async ? "async" : "sync")
                + (async ? ", queueCapacity=" + queueCapacity + ", batchSize=" + batchSize + ", flushIntervalMs="
                        + flushIntervalMs + ", overflow=" + (blockOnOverflow ? "block" : "drop") + ", blockTimeoutMs="
                        + blockTimeoutMs + ", flushTimeoutMs=" + flushTimeoutMs + ", closeTimeoutMs=" + closeTimeoutMs
                        : "") + "]";
    }

    /** Builds {@link PostgresSettings}; each setter rejects a bad value at once. */
    public static final class Builder {
        private String dsn;
        private String table = StoggerConfig.DEFAULT_TABLE;
        private String password;
        private Level level = Level.ALL;
        private Filter filter;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int socketTimeoutMs = DEFAULT_SOCKET_TIMEOUT_MS;
        private boolean synchronousCommit = true;
        private int retryInitialMs = DEFAULT_RETRY_INITIAL_MS;
        private int retryMaxMs = DEFAULT_RETRY_MAX_MS;
        private int maxStringLength = PostgresRenderer.DEFAULT_MAX_STRING_LENGTH;
        private boolean async;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS;
        private boolean blockOnOverflow;
        private int blockTimeoutMs = DEFAULT_BLOCK_TIMEOUT_MS;
        private int flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS;
        private int closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS;

        private Builder() {
        }

        /** {@code sync} (default: one INSERT per record) or {@code async} (queue and batches). */
        public Builder mode(String value) {
            if (!"sync".equals(value) && !"async".equals(value)) {
                throw new IllegalArgumentException("mode must be sync or async, got '" + value + "'");
            }
            this.async = "async".equals(value);
            return this;
        }

        /** The most records the async queue holds; default 16384. */
        public Builder queueCapacity(int value) {
            this.queueCapacity = atLeast("queueCapacity", value, 1, "records");
            return this;
        }

        /** The most rows in one batch; default 1000. */
        public Builder batchSize(int value) {
            this.batchSize = atLeast("batchSize", value, 1, "rows");
            return this;
        }

        /** The longest wait for a batch to fill; default 100 ms; 0 writes what is there at once. */
        public Builder flushIntervalMs(int value) {
            this.flushIntervalMs = atLeast("flushIntervalMs", value, 0, "milliseconds");
            return this;
        }

        /** {@code drop} (default: a full queue drops the new record, counted) or {@code block}. */
        public Builder overflow(String value) {
            if (!"drop".equals(value) && !"block".equals(value)) {
                throw new IllegalArgumentException("overflow must be drop or block, got '" + value + "'");
            }
            this.blockOnOverflow = "block".equals(value);
            return this;
        }

        /** The longest wait of a caller on a full queue with overflow {@code block}; default 100 ms. */
        public Builder blockTimeoutMs(int value) {
            this.blockTimeoutMs = atLeast("blockTimeoutMs", value, 0, "milliseconds");
            return this;
        }

        /** The longest wait of {@code flush()}; default 10000 ms. */
        public Builder flushTimeoutMs(int value) {
            this.flushTimeoutMs = atLeast("flushTimeoutMs", value, 0, "milliseconds");
            return this;
        }

        /** The longest wait of {@code close()} for the queue to drain; default 10000 ms. */
        public Builder closeTimeoutMs(int value) {
            this.closeTimeoutMs = atLeast("closeTimeoutMs", value, 0, "milliseconds");
            return this;
        }

        private static int atLeast(String name, int value, int min, String unit) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + " " + unit + ", got " + value);
            }
            return value;
        }

        /** The DSN (required); see {@link PostgresHandler} for the forms. */
        public Builder dsn(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("dsn must not be blank");
            }
            this.dsn = value.trim();
            return this;
        }

        /** The table, optionally schema-qualified; default {@code stogger_logs}. */
        public Builder table(String value) {
            TableName.parse(value, "table");
            this.table = value.trim();
            return this;
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
            this.level = value;
            return this;
        }

        /** The handler's filter; default none. */
        public Builder filter(Filter value) {
            this.filter = value;
            return this;
        }

        /** The longest wait for a connection; default 5000 ms. */
        public Builder connectTimeoutMs(int value) {
            this.connectTimeoutMs = positive("connectTimeoutMs", value);
            return this;
        }

        /** The longest wait for one read or write; default 10000 ms; 0 waits forever. */
        public Builder socketTimeoutMs(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("socketTimeoutMs must be 0 or more milliseconds, got " + value);
            }
            this.socketTimeoutMs = value;
            return this;
        }

        /** Whether commits wait for the WAL flush; default true. */
        public Builder synchronousCommit(boolean value) {
            this.synchronousCommit = value;
            return this;
        }

        /** The first reconnect delay; default 1000 ms. */
        public Builder retryInitialMs(int value) {
            this.retryInitialMs = positive("retryInitialMs", value);
            return this;
        }

        /** The longest reconnect delay; default 60000 ms. */
        public Builder retryMaxMs(int value) {
            this.retryMaxMs = positive("retryMaxMs", value);
            return this;
        }

        /** The longest string stored whole; default 65536 chars. */
        public Builder maxStringLength(int value) {
            if (value < PostgresRenderer.MIN_MAX_STRING_LENGTH) {
                throw new IllegalArgumentException("maxStringLength must be at least "
                        + PostgresRenderer.MIN_MAX_STRING_LENGTH + " chars, got " + value);
            }
            this.maxStringLength = value;
            return this;
        }

        /**
         * The settings.
         *
         * @return the settings
         * @throws IllegalArgumentException when no DSN was set
         */
        public PostgresSettings build() {
            if (dsn == null) {
                throw new IllegalArgumentException("dsn is required");
            }
            return new PostgresSettings(this, List.of());
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be a positive number of milliseconds, got " + value);
            }
            return value;
        }
    }
}
