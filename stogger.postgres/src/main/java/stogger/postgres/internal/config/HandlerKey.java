package stogger.postgres.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import stogger.core.PostgresRenderer;
import stogger.core.StoggerConfig;

/**
 * The key table of {@code PostgresHandler}: every setting with its name, default, limits, unit
 * and meaning. The properties reader, the builder's checks, the javadoc's Configuration table,
 * the README's table and the runtime image's {@code conf/logging.properties} all follow this
 * table (tests compare the documents with {@link #markdownTable()} and {@link #javadocTable()}).
 *
 * <p>Meanings are written with {@code `code`} spans, rendered as Markdown or as javadoc.
 */
public enum HandlerKey {

    DSN("dsn", Type.TEXT, null, "`" + StoggerConfig.POSTGRES_DSN + "`",
            "where to connect; required (DSN forms in the class documentation and the README)"),
    TABLE("table", Type.TEXT, StoggerConfig.DEFAULT_TABLE,
            "`" + StoggerConfig.POSTGRES_TABLE + "`, else `" + StoggerConfig.DEFAULT_TABLE + "`",
            "table name, `name` or `schema.name` (letters, digits, `_`; quoted as given)"),
    CREATE_TABLE("createTable", "true", List.of("true", "false"),
            "`true`: create the table and its indexes when missing (only what is missing); `false`: never any DDL"),
    POOLER("pooler", "none", List.of("none", "transaction"),
            "`transaction`: the DSN points at a transaction pooler (PgBouncer `pool_mode = transaction`): no named"
                    + " prepared statements, no session settings (see Connection poolers)"),
    LEVEL("level", Type.LEVEL, "ALL", "the handler's level"),
    FILTER("filter", Type.FILTER, null, "none",
            "a `java.util.logging.Filter` class with a public no-arg constructor"),
    CONNECT_TIMEOUT_MS("connectTimeoutMs", 5_000, 1, 600_000, Unit.MS,
            "longest wait for a connection (a caller waits at most this, once per backoff step)"),
    WRITE_TIMEOUT_MS("writeTimeoutMs", 5_000, 100, 3_600_000, Unit.MS,
            "longest a write may take on the server (`statement_timeout` and `lock_timeout` of the handler's"
                    + " session): the server aborts it, so it is known not to be committed and is retried"),
    SOCKET_TIMEOUT_MS("socketTimeoutMs", 10_000, 0, 3_600_000, Unit.MS,
            "longest wait for one network read or write, the last resort above `writeTimeoutMs`; `0` waits"
                    + " forever"),
    SYNCHRONOUS_COMMIT("synchronousCommit", "on", List.of("on", "off"),
            "`off` sets `synchronous_commit = off` for the handler's session only (see below)"),
    RETRY_INITIAL_MS("retryInitialMs", 1_000, 1, 3_600_000, Unit.MS, "first reconnect delay"),
    RETRY_MAX_MS("retryMaxMs", 60_000, 1, 86_400_000, Unit.MS,
            "longest reconnect delay (the delay doubles up to it; at least `retryInitialMs`)"),
    MAX_STRING_LENGTH("maxStringLength", PostgresRenderer.DEFAULT_MAX_STRING_LENGTH,
            PostgresRenderer.MIN_MAX_STRING_LENGTH, Integer.MAX_VALUE, Unit.CHARS,
            "longest string stored whole, in chars (at least 64)"),
    MODE("mode", "sync", List.of("sync", "async"),
            "`sync`: each record committed before `publish` returns (records of threads that log at once share"
                    + " one INSERT); `async`: queue and batches (see Asynchronous mode)"),
    QUEUE_CAPACITY("queueCapacity", 16_384, 1, 10_000_000, Unit.RECORDS, "async: records the queue holds"),
    BATCH_SIZE("batchSize", 1_000, 1, 100_000, Unit.ROWS, "async: most rows per batch"),
    FLUSH_INTERVAL_MS("flushIntervalMs", 100, 0, 60_000, Unit.MS,
            "async: longest wait for a batch to fill before it is written"),
    OVERFLOW("overflow", "block", List.of("block", "drop"),
            "async: a caller that finds the queue full waits up to `blockTimeoutMs` while the database is connected,"
                    + " then its record is dropped and counted (`block`), or is dropped at once (`drop`); while the"
                    + " database is unreachable a full queue always drops at once"),
    BLOCK_TIMEOUT_MS("blockTimeoutMs", 5_000, 0, 600_000, Unit.MS,
            "async, `overflow = block`: longest wait of a caller for room in the queue"),
    FLUSH_TIMEOUT_MS("flushTimeoutMs", 10_000, 0, 3_600_000, Unit.MS, "async: longest wait of `flush()`"),
    CLOSE_TIMEOUT_MS("closeTimeoutMs", 10_000, 0, 3_600_000, Unit.MS,
            "async: longest wait of `close()` for the queue to drain"),
    SPOOL_DIRECTORY("spoolDirectory", Type.TEXT, null, "none",
            "a directory for the durable spool (see Durable spool), created if missing, owned by one process at a"
                    + " time; not set: no spool"),
    SPOOL_MODE("spoolMode", "outage", List.of("outage", "always"),
            "`outage`: rows the database cannot take now go to the spool; `always`: every row goes through the"
                    + " spool first (a write-ahead log)"),
    SPOOL_MAX_BYTES("spoolMaxBytes", 256 * 1024 * 1024, 64 * 1024, Integer.MAX_VALUE, Unit.BYTES,
            "the spool's largest size on disk (256 MiB); when full, new rows are dropped and counted (`spool-full`)"),
    SPOOL_SYNC("spoolSync", "interval", List.of("interval", "batch"),
            "when spooled rows are forced to disk: `interval`: every `spoolSyncIntervalMs`; `batch`: before each"
                    + " append returns (a record in sync mode and `always`, a batch moved by the async writer)"),
    SPOOL_SYNC_INTERVAL_MS("spoolSyncIntervalMs", 1_000, 1, 60_000, Unit.MS,
            "`spoolSync = interval`: the longest a spooled row waits to be forced to disk");

    /** Prefix of every key: the handler's class name. */
    public static final String PREFIX = "stogger.postgres.PostgresHandler";

    /** What kind of value a key holds. */
    public enum Type { TEXT, LEVEL, FILTER, INTEGER, CHOICE }

    /** The unit of a whole-number key, as messages name it. */
    public enum Unit {
        MS("milliseconds"), CHARS("chars"), RECORDS("records"), ROWS("rows"), BYTES("bytes");

        private final String words;

        Unit(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String documentedDefault;
    private final String meaning;
    private final int min;
    private final int max;
    private final Unit unit;
    private final List<String> choices;

    HandlerKey(String key, Type type, String defaultValue, String meaning) {
        this(key, type, defaultValue, "`" + defaultValue + "`", meaning);
    }

    HandlerKey(String key, Type type, String defaultValue, String documentedDefault, String meaning) {
        this(key, type, defaultValue, documentedDefault, meaning, 0, 0, null, List.of());
    }

    HandlerKey(String key, int defaultValue, int min, int max, Unit unit, String meaning) {
        this(key, Type.INTEGER, Integer.toString(defaultValue), "`" + defaultValue + "`", meaning, min, max, unit,
                List.of());
    }

    HandlerKey(String key, String defaultValue, List<String> choices, String meaning) {
        this(key, Type.CHOICE, defaultValue, "`" + defaultValue + "`", meaning, 0, 0, null, choices);
    }

    HandlerKey(String key, Type type, String defaultValue, String documentedDefault, String meaning, int min, int max,
            Unit unit, List<String> choices) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.meaning = meaning;
        this.min = min;
        this.max = max;
        this.unit = unit;
        this.choices = choices;
    }

    /** The key without the prefix, as the builder's setter is named: {@code batchSize}. */
    public String key() {
        return key;
    }

    /** The full key: {@code stogger.postgres.PostgresHandler.batchSize}. */
    public String fullKey() {
        return PREFIX + "." + key;
    }

    public Type type() {
        return type;
    }

    /** The default as configuration text, or null when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default of a whole-number key. */
    public int defaultInt() {
        return Integer.parseInt(defaultValue);
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public Unit unit() {
        return unit;
    }

    public List<String> choices() {
        return choices;
    }

    /**
     * Checks a whole-number value against the key's limits.
     *
     * @return the value
     * @throws IllegalArgumentException naming the key, the limits, the unit and the value
     */
    public int check(int value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be a whole number of " + unit + " from " + min + " to "
                    + max + ", got " + value);
        }
        return value;
    }

    /**
     * Checks a word against the key's choices, in any case.
     *
     * @return the value, lowercase
     * @throws IllegalArgumentException naming the key, the choices and the value
     */
    public String check(String value) {
        String lower = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
        if (lower == null || !choices.contains(lower)) {
            throw new IllegalArgumentException(key + " must be one of " + String.join(", ", choices) + ", got '"
                    + value + "'");
        }
        return lower;
    }

    /** The names of all keys, without the prefix. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (HandlerKey k : values()) {
            names.add(k.key);
        }
        return names;
    }

    /** The README's table of handler keys, in Markdown. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| key (prefix `" + PREFIX + ".`) | default | meaning |\n|---|---|---|\n");
        for (HandlerKey k : values()) {
            table.append("| `").append(k.key).append("` | ").append(k.documentedDefault).append(" | ")
                    .append(k.meaning).append(" |\n");
        }
        return table.toString();
    }

    /** The javadoc's Configuration table, as the lines of a doc comment (each starting with {@code " * "}). */
    public static String javadocTable() {
        StringBuilder table = new StringBuilder(" * <table>\n * <caption>Configuration keys (prefix {@code " + PREFIX
                + ".})</caption>\n * <tr><th>key</th><th>default</th><th>meaning</th></tr>\n");
        for (HandlerKey k : values()) {
            table.append(" * <tr><td>{@code ").append(k.key).append("}</td><td>").append(javadoc(k.documentedDefault))
                    .append("</td><td>").append(javadoc(k.meaning)).append("</td></tr>\n");
        }
        return table.append(" * </table>\n").toString();
    }

    private static String javadoc(String markdown) {
        String html = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (char c : html.toCharArray()) {
            if (c == '`') {
                out.append(code ? "}" : "{@code ");
                code = !code;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
