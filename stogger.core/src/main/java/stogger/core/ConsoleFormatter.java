package stogger.core;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * A one-line console format built from the same row as the PostgreSQL target: time, level,
 * event, then the structured fields as {@code key=value}, and the stack trace of an exception
 * on the lines below.
 * <pre>
 * 16:20:12.345 info    order-received  order_id=42 amount=9.99 scope=checkout
 * </pre>
 * Usable from {@code logging.properties} too:
 * {@code java.util.logging.ConsoleHandler.formatter = stogger.core.ConsoleFormatter}.
 */
public class ConsoleFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Set<String> NOT_SHOWN = Set.of("logger", "thread", "thread_id", "exception");

    private final PostgresRenderer renderer = new PostgresRenderer();
    private final ZoneId zone = ZoneId.systemDefault();

    /** Creates the formatter. */
    public ConsoleFormatter() {
    }

    @Override
    public String format(LogRecord record) {
        PostgresRow row = renderer.render(record);
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(row.timestamp().atZone(zone))).append(' ');
        line.append(String.format("%-7s ", row.level()));
        line.append(row.event());
        JsonObject data = row.data();
        data.forEach((key, value) -> {
            if (!NOT_SHOWN.contains(key)) {
                line.append(' ').append(key).append('=').append(show(value));
            }
        });
        if (row.scope() != null) {
            line.append(" scope=").append(quoteIfNeeded(row.scope()));
        }
        line.append(System.lineSeparator());
        JsonValue exception = data.get("exception");
        if (exception instanceof JsonObject thrown && thrown.get("stack_trace") instanceof JsonString trace) {
            line.append(trace.getString());
        }
        return line.toString();
    }

    private static String show(JsonValue value) {
        return value instanceof JsonString s ? quoteIfNeeded(s.getString()) : value.toString();
    }

    private static String quoteIfNeeded(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20);
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
