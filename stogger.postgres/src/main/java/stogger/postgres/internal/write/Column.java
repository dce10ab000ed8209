package stogger.postgres.internal.write;

import java.util.StringJoiner;
import java.util.function.Function;
import stogger.core.PostgresRow;

/**
 * The columns a log row fills, in the order every statement lists them: the seed's table
 * without its {@code id}. Each column knows its definition, the cast from text that its values
 * need, and how to read its value from a rendered row as text.
 */
public enum Column {
    TIMESTAMP("TIMESTAMPTZ NOT NULL", "timestamptz", row -> TimestampText.of(row.timestamp())),
    LEVEL("TEXT NOT NULL", null, PostgresRow::level),
    EVENT("TEXT NOT NULL", null, PostgresRow::event),
    FUNC("TEXT", null, PostgresRow::func),
    SCOPE("TEXT", null, PostgresRow::scope),
    DATA("JSONB NOT NULL DEFAULT '{}'", "jsonb", row -> JsonText.of(row.data()));

    private final String definition;
    private final String cast;
    private final Function<PostgresRow, String> value;

    Column(String definition, String cast, Function<PostgresRow, String> value) {
        this.definition = definition;
        this.cast = cast;
        this.value = value;
    }

    /** The column's name in SQL: {@code timestamp}, {@code level}, ... */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type and constraints of {@code CREATE TABLE}. */
    String definition() {
        return definition;
    }

    /** {@code expression} cast to the column's type when it is not text. */
    String fromText(String expression) {
        return cast == null ? expression : expression + "::" + cast;
    }

    /** The row's value for this column, as text; null for SQL NULL. */
    String value(PostgresRow row) {
        return value.apply(row);
    }

    /** The column list: {@code timestamp, level, event, func, scope, data}. */
    static String names() {
        StringJoiner names = new StringJoiner(", ");
        for (Column column : values()) {
            names.add(column.sqlName());
        }
        return names.toString();
    }
}
