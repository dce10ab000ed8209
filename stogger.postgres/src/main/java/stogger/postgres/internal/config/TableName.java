package stogger.postgres.internal.config;

import java.util.regex.Pattern;

/**
 * A validated, optionally schema-qualified table name, quoted once so that SQL built from it
 * never contains user text raw.
 *
 * <p>Each part is a letter or underscore followed by letters, digits or underscores, at most 63
 * characters (PostgreSQL's identifier limit). Names are quoted as given, so case is kept.
 */
public final class TableName {

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String schema;
    private final String table;

    private TableName(String schema, String table) {
        this.schema = schema;
        this.table = table;
    }

    /**
     * Validates a table name.
     *
     * @param name {@code table} or {@code schema.table}
     * @param key the configuration key it came from, for the error message
     * @return the parsed name
     * @throws IllegalArgumentException naming the key and the value when the name is not valid
     */
    public static TableName parse(String name, String key) {
        String[] parts = name == null ? new String[0] : name.trim().split("\\.", -1);
        boolean valid = parts.length >= 1 && parts.length <= 2;
        for (String part : parts) {
            valid &= PART.matcher(part).matches();
        }
        if (!valid) {
            throw new IllegalArgumentException("invalid table name '" + name + "' (" + key
                    + "): expected name or schema.name, each a letter or underscore followed by letters, digits"
                    + " or underscores, at most 63 characters");
        }
        return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
    }

    /** The schema, or null when the name is not qualified. */
    public String schema() {
        return schema;
    }

    /** The quoted, possibly qualified name for use in SQL. */
    public String quoted() {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /** The quoted schema name; only meaningful when {@link #schema()} is not null. */
    public String quotedSchema() {
        return quote(schema);
    }

    /**
     * The quoted name of one of the table's indexes: {@code idx_<table>_<column>}, the names the
     * Python edition uses, so that both editions sharing a table create each index once.
     */
    public String quotedIndex(String column) {
        String name = "idx_" + table + "_" + column;
        if (name.length() > 63) {
            // PostgreSQL would truncate it and two indexes could end up with one name.
            name = "idx_" + table.substring(0, 63 - 14 - column.length())
                    + "_" + String.format("%08x", table.hashCode()) + "_" + column;
        }
        return quote(name);
    }

    /**
     * A table beside this one, in its schema, named after it with {@code suffix}: the table's
     * name is cut so that the whole fits PostgreSQL's 63 characters.
     */
    public TableName withSuffix(String suffix) {
        String bare = table.length() + suffix.length() > 63 ? table.substring(0, 63 - suffix.length()) : table;
        return new TableName(schema, bare + suffix);
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    /** The name as written, unquoted. */
    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
