package stogger.core.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Hides passwords in any text that may reach a person: messages, exception texts,
 * {@code toString()} of settings. It replaces every known secret (the password in each form it
 * was given or encoded in) with {@code ***}, and also a password written literally into a
 * connection string: the user-info of a URI ({@code ://user:secret@}) and a {@code password=}
 * parameter (libpq key=value or a URL query). The one place stogger masks passwords.
 */
public final class PasswordMask {

    /** What a hidden secret is shown as. */
    public static final String MASK = "***";

    private static final Pattern URI_USER_INFO = Pattern.compile("(://[^:/@?\\s]*:)[^@/?\\s]+@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile(
            "(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&]+)");
    private static final PasswordMask NONE = new PasswordMask(List.of());

    private final List<String> secrets;

    private PasswordMask(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * A mask for these secrets; null and empty ones are ignored.
     *
     * @param secrets the secrets, e.g. a password and its percent-encoded form
     * @return the mask
     */
    public static PasswordMask of(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty() && !kept.contains(secret)) {
                kept.add(secret);
            }
        }
        // Longer first, so that a secret containing another is replaced whole.
        kept.sort((a, b) -> b.length() - a.length());
        return kept.isEmpty() ? NONE : new PasswordMask(List.copyOf(kept));
    }

    /**
     * A mask that knows no secret and hides only passwords written into connection strings.
     *
     * @return the mask
     */
    public static PasswordMask none() {
        return NONE;
    }

    /**
     * The text with every secret and every literal password replaced by {@value #MASK}; never
     * throws.
     *
     * @param text any text; null gives null
     * @return the masked text
     */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        masked = URI_USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }
}
