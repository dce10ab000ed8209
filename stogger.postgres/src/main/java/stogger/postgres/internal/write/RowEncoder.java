package stogger.postgres.internal.write;

import java.util.List;
import stogger.core.PostgresRow;

/**
 * Turns a rendered row into the text of its columns, in {@link Column} order: the one encoding
 * behind the single INSERT, {@code INSERT ... unnest} and COPY, so the three always agree.
 */
final class RowEncoder {

    private static final Column[] COLUMNS = Column.values();

    private RowEncoder() {
    }

    /** The row's column values as text, in {@link Column} order; null for SQL NULL. */
    static String[] encode(PostgresRow row) {
        String[] values = new String[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            values[i] = COLUMNS[i].value(row);
        }
        return values;
    }

    /** Appends the rows in COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    static void appendCopyText(StringBuilder text, List<PostgresRow> rows) {
        for (PostgresRow row : rows) {
            String[] values = encode(row);
            for (int i = 0; i < values.length; i++) {
                copyField(text, values[i]).append(i == values.length - 1 ? '\n' : '\t');
            }
        }
    }

    private static StringBuilder copyField(StringBuilder text, String value) {
        if (value == null) {
            return text.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return text;
    }
}
