package stogger.core;

/**
 * Makes any Java string storable in a PostgreSQL {@code text} or {@code jsonb} value: U+0000
 * (which PostgreSQL rejects) and unpaired surrogates become U+FFFD, and a string longer than
 * the limit is cut, with a marker that gives its original length.
 */
final class TextSanitizer {

    static final char REPLACEMENT = '\uFFFD';

    private final int maxLength;

    TextSanitizer(int maxLength) {
        this.maxLength = maxLength;
    }

    String clean(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() <= maxLength && !needsReplacement(text)) {
            return text;
        }
        int keep = Math.min(text.length(), maxLength);
        StringBuilder out = new StringBuilder(keep + 48);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c)) {
                boolean paired = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired && i + 1 < keep) {
                    out.append(c).append(text.charAt(++i));
                } else if (!paired) {
                    out.append(REPLACEMENT);
                }
                // A pair that straddles the cut is dropped whole rather than split.
            } else if (Character.isLowSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        if (text.length() > maxLength) {
            out.append("...[truncated, original length ").append(text.length()).append(" chars]");
        }
        return out.toString();
    }

    private static boolean needsReplacement(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
