package stogger.postgres.internal.write;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import stogger.core.PostgresRow;

/**
 * Rows as the spool keeps them: one line of COPY's text format each (UTF-8, ending in a newline),
 * the encoding {@link RowEncoder} gives every statement. A replay sends the lines to COPY as they
 * are, without decoding them; only the {@code INSERT ... unnest} fallback decodes them.
 */
public final class CopyLines {

    private final Schema schema;
    private final BatchInsert batches;

    public CopyLines(Schema schema) {
        this.schema = schema;
        this.batches = new BatchInsert(schema);
    }

    /** The row as one COPY text line, UTF-8. */
    public static byte[] encode(PostgresRow row) {
        StringBuilder text = new StringBuilder(256);
        RowEncoder.appendCopyText(text, List.of(row));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The timestamp a line starts with, or null when the line does not start with one. */
    public static Instant timestamp(byte[] line) {
        int tab = 0;
        while (tab < line.length && line[tab] != '\t') {
            tab++;
        }
        try {
            return Instant.parse(new String(line, 0, tab, StandardCharsets.UTF_8));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Writes the lines in one statement, or throws leaving none of them written. */
    public void write(Connection connection, List<byte[]> lines) throws SQLException {
        if (batches.usesCopy(connection)) {
            PgCopy.copyLines(connection, schema.sql().copy(), lines);
        } else {
            unnest(connection, lines);
        }
    }

    private void unnest(Connection connection, List<byte[]> lines) throws SQLException {
        int columns = Column.values().length;
        String[][] values = new String[columns][lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            List<String> fields = decode(lines.get(i));
            for (int c = 0; c < columns; c++) {
                values[c][i] = c < fields.size() ? fields.get(c) : null;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(schema.sql().batchInsert())) {
            for (int c = 0; c < columns; c++) {
                Array array = connection.createArrayOf("text", values[c]);
                insert.setArray(c + 1, array);
            }
            insert.executeUpdate();
        }
    }

    /** The fields of one COPY text line; null for {@code \N}. */
    static List<String> decode(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        int end = text.endsWith("\n") ? text.length() - 1 : text.length();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean isNull = false;
        for (int i = 0; i <= end; i++) {
            char c = i < end ? text.charAt(i) : '\t';
            if (c == '\t') {
                fields.add(isNull ? null : field.toString());
                field.setLength(0);
                isNull = false;
            } else if (c == '\\' && i + 1 < end) {
                char next = text.charAt(++i);
                switch (next) {
                    case 't' -> field.append('\t');
                    case 'n' -> field.append('\n');
                    case 'r' -> field.append('\r');
                    case 'N' -> isNull = true;
                    default -> field.append(next);
                }
            } else {
                field.append(c);
            }
        }
        return fields;
    }
}
