package stogger.postgres.internal.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-decoding for URI DSNs that leaves the placeholder alone and decodes UTF-8 byte sequences. */
final class PercentDecoding {

    private PercentDecoding() {
    }

    static String decode(String text, String key) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(Dsn.PLACEHOLDER, i)) {
                flush(bytes, out);
                out.append(Dsn.PLACEHOLDER);
                i += Dsn.PLACEHOLDER.length();
            } else if (text.charAt(i) == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException(key + ": incomplete percent-escape at position " + i);
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException(key + ": invalid percent-escape at position " + i);
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                flush(bytes, out);
                out.append(text.charAt(i++));
            }
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
