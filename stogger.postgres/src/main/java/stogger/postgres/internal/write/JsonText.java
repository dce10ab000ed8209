package stogger.postgres.internal.write;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * The JSON text of a rendered {@code data} object, written straight into one
 * {@link StringBuilder}. It does what {@code JsonObject.toString()} does without the writer,
 * generator and pooled buffer that the JSON-P implementation sets up for every call: on the sync
 * path that set-up was most of the time the {@code data} column's text took. The text is the
 * same: keys and strings with {@code "}, {@code \} and the control characters escaped, numbers as
 * their {@code toString()}, no whitespace.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** The compact JSON text of {@code value}. */
    static String of(JsonValue value) {
        StringBuilder text = new StringBuilder(256);
        append(text, value);
        return text.toString();
    }

    private static void append(StringBuilder text, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                text.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> entry : ((JsonObject) value).entrySet()) {
                    if (!first) {
                        text.append(',');
                    }
                    first = false;
                    string(text, entry.getKey());
                    text.append(':');
                    append(text, entry.getValue());
                }
                text.append('}');
            }
            case ARRAY -> {
                text.append('[');
                boolean first = true;
                for (JsonValue element : (JsonArray) value) {
                    if (!first) {
                        text.append(',');
                    }
                    first = false;
                    append(text, element);
                }
                text.append(']');
            }
            case STRING -> string(text, ((JsonString) value).getString());
            case NUMBER -> text.append(value.toString());
            case TRUE -> text.append("true");
            case FALSE -> text.append("false");
            default -> text.append("null");
        }
    }

    private static void string(StringBuilder text, String value) {
        text.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            text.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        text.append(value, plain, value.length()).append('"');
    }
}
