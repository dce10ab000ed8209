package stogger.postgres.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a libpq {@code key=value} string into its parameters: pairs separated by whitespace,
 * spaces allowed around {@code =}, values optionally single-quoted, a backslash escaping the
 * next character.
 */
final class ConninfoDsn {

    private ConninfoDsn() {
    }

    static Map<String, String> parameters(String text, String key) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            i = skipWhitespace(text, i);
            if (i >= n) {
                return params;
            }
            int start = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            i = skipWhitespace(text, i);
            if (name.isEmpty() || i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException(key + ": expected key=value at position " + start);
            }
            i = skipWhitespace(text, i + 1);
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i = quoted(text, i + 1, value, name, key);
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            params.put(name, value.toString());
        }
    }

    /** Reads a quoted value from just after its opening quote; returns the index after the closing one. */
    private static int quoted(String text, int from, StringBuilder value, String name, String key) {
        int i = from;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i++);
            if (c == '\\' && i < n) {
                value.append(text.charAt(i++));
            } else if (c == '\'') {
                return i;
            } else {
                value.append(c);
            }
        }
        throw new IllegalArgumentException(key + ": unterminated quoted value for '" + name + "'");
    }

    private static int skipWhitespace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
