package stogger.postgres.internal.write;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import stogger.core.PostgresRow;

/**
 * Keeps the indexed text columns ({@code level}, {@code event}, {@code func}, {@code scope})
 * short enough for a btree index, so that a long value never costs the record its row.
 *
 * <p><b>Why.</b> A btree index entry must fit in about a third of a page: with PostgreSQL's
 * default 8 KB pages an entry larger than 2704 bytes is rejected with "index row size exceeds
 * maximum 2704" (SQLState 54000), and the whole INSERT, hence the record, fails. The size
 * counted is that of the stored (possibly compressed) value, so repetitive text often passes
 * while about 3 KB of varied text does not. The seed table has btree indexes on {@code level}
 * and {@code event}, and an operator may add others on {@code func} or {@code scope}.
 *
 * <p><b>The rule.</b> A value of one of those four columns whose UTF-8 encoding is longer than
 * {@value #MAX_BYTES} bytes is cut at a code point boundary (never inside a surrogate pair,
 * always valid UTF-8) and ends in {@value #MARKER}; the marker is part of the budget, so the
 * stored value is at most {@value #MAX_BYTES} bytes, which leaves room under 2704 for the index
 * entry's own overhead and for a short second column in a composite index. (A composite index
 * over two long columns, or a server built with smaller pages, may still need less.)
 *
 * <p><b>What a reader finds.</b> The whole value, as rendered, is in {@code data} under
 * {@code <column>_full}: {@code event_full}, {@code func_full}, {@code scope_full},
 * {@code level_full}. The key is added only when its column was cut, so
 * {@code coalesce(data->>'event_full', event)} is the whole event and
 * {@code WHERE data ? 'event_full'} finds the cut rows (unless a record has a field of that name
 * itself: it is kept when the column is short, and replaced by the column's whole value when the
 * column is cut). Every other key of {@code data} is kept. The whole value is itself bounded by
 * the renderer's {@code maxStringLength}, as every string is. {@code data}'s GIN index hashes
 * long values, so the whole value does not endanger it.
 *
 * <p>Rows whose four columns are all short are returned as they are, at the cost of a length
 * check per column.
 */
public final class ColumnLimits {

    /** The most UTF-8 bytes kept in {@code level}, {@code event}, {@code func} and {@code scope}. */
    public static final int MAX_BYTES = 2000;

    /** Ends a cut value; U+2026 HORIZONTAL ELLIPSIS, three bytes of UTF-8, inside {@link #MAX_BYTES}. */
    public static final String MARKER = "\u2026";

    /** Suffix of the {@code data} key that holds a cut column's whole value. */
    public static final String FULL_SUFFIX = "_full";

    private static final int MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8).length;

    /**
     * A UTF-16 char is at most three bytes of UTF-8 (a surrogate pair is two chars and four
     * bytes), so a string of at most this many chars is within {@link #MAX_BYTES} bytes and need
     * not be counted.
     */
    private static final int SAFE_CHARS = MAX_BYTES / 3;

    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private ColumnLimits() {
    }

    /**
     * The row, with over-long indexed columns cut and their whole values kept in {@code data}.
     *
     * @param row a rendered row
     * @return {@code row} itself when no column is longer than {@link #MAX_BYTES} bytes of UTF-8,
     *     otherwise a new row with the long columns cut and {@code <column>_full} keys added to
     *     {@code data}
     */
    public static PostgresRow fit(PostgresRow row) {
        String level = row.level();
        String event = row.event();
        String func = row.func();
        String scope = row.scope();
        if (fits(level) && fits(event) && fits(func) && fits(scope)) {
            return row;
        }
        JsonObjectBuilder data = JSON.createObjectBuilder(row.data());
        return new PostgresRow(row.timestamp(), fit("level", level, data), fit("event", event, data),
                fit("func", func, data), fit("scope", scope, data), data.build());
    }

    /** Whether the value (null counts as fitting) is within {@link #MAX_BYTES} bytes of UTF-8. */
    static boolean fits(String value) {
        return value == null || value.length() <= SAFE_CHARS || utf8Length(value, MAX_BYTES) <= MAX_BYTES;
    }

    private static String fit(String column, String value, JsonObjectBuilder data) {
        if (fits(value)) {
            return value;
        }
        data.add(column + FULL_SUFFIX, value);
        return value.substring(0, prefixChars(value, MAX_BYTES - MARKER_BYTES)) + MARKER;
    }

    /**
     * The UTF-8 length of a string, counting stops early once it exceeds {@code stopAbove}. A
     * lone surrogate (which the renderer never leaves) counts as three bytes, the length of the
     * replacement character an encoder writes for it.
     */
    static int utf8Length(String s, int stopAbove) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n && bytes <= stopAbove; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The number of chars of the longest prefix of {@code s} that ends at a code point boundary
     * and is at most {@code budget} bytes of UTF-8.
     */
    private static int prefixChars(String s, int budget) {
        int bytes = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else {
                width = 3;
            }
            if (bytes + width > budget) {
                break;
            }
            bytes += width;
            i += chars;
        }
        return i;
    }
}
