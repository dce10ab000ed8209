package stogger.core;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.logging.LogRecord;

/**
 * Maps a {@link LogRecord} to a {@link PostgresRow}, the row the PostgreSQL target inserts.
 *
 * <table>
 * <caption>Row mapping</caption>
 * <tr><th>column</th><th>from the record</th></tr>
 * <tr><td>timestamp</td><td>{@link LogRecord#getInstant()}</td></tr>
 * <tr><td>level</td><td>SEVERE&rarr;{@code error}, WARNING&rarr;{@code warning},
 * INFO&rarr;{@code info}, FINE&rarr;{@code debug}; any other level its own name in lowercase
 * ({@code config}, {@code finer}, {@code finest}, custom names)</td></tr>
 * <tr><td>event</td><td>the raw message pattern or resource-bundle key; {@code ""} for a null
 * message</td></tr>
 * <tr><td>func</td><td>a {@code func} field if given, else
 * {@code sourceClassName.sourceMethodName}; null when unknown</td></tr>
 * <tr><td>scope</td><td>a {@code scope} field if given, else the innermost open
 * {@link LogScope} of the logging thread; null outside any scope</td></tr>
 * <tr><td>data</td><td>{@code logger}, {@code thread} (the name, when rendered on the logging
 * thread), {@code thread_id}, {@code message} (the formatted message, when it differs from the
 * event), {@code args} (parameters that the pattern does not use), {@code exception}
 * ({@code type}, {@code message}, {@code stack_trace}, {@code causes}), then the fields of every
 * open scope (outermost first) and the record's {@link Fields}; a later key replaces an earlier
 * one</td></tr>
 * </table>
 *
 * <p>Rendering is total: {@link #render(LogRecord)} never throws and always returns a row.
 * U+0000 and lone surrogates become U+FFFD; strings longer than the limit are truncated with a
 * marker that gives the original length; a throwing {@code toString()} becomes a placeholder
 * naming the exception; NaN and infinities become strings; cyclic or very deep structures are
 * cut with a marker.
 *
 * <p>Instances are immutable and thread-safe. Render on the logging thread: scope and caller are
 * taken from the current thread.
 */
public final class PostgresRenderer {

    /** The default limit on the length of one string, in chars: 64 KiB. */
    public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024;
    /** The smallest accepted limit on the length of one string. */
    public static final int MIN_MAX_STRING_LENGTH = 64;

    private final int maxStringLength;
    private final TextSanitizer text;
    private final JsonConverter json;
    private final ExceptionJson exceptions;

    /** A renderer with the default string limit of {@value #DEFAULT_MAX_STRING_LENGTH} chars. */
    public PostgresRenderer() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    /**
     * A renderer that truncates strings longer than the given limit.
     *
     * @param maxStringLength the longest string kept whole, in chars; at least
     *     {@value #MIN_MAX_STRING_LENGTH}
     * @throws IllegalArgumentException when the limit is below {@value #MIN_MAX_STRING_LENGTH}
     */
    public PostgresRenderer(int maxStringLength) {
        if (maxStringLength < MIN_MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("maxStringLength must be at least " + MIN_MAX_STRING_LENGTH
                    + " chars, got " + maxStringLength);
        }
        this.maxStringLength = maxStringLength;
        this.text = new TextSanitizer(maxStringLength);
        this.json = new JsonConverter(text);
        this.exceptions = new ExceptionJson(json);
    }

    /**
     * The string limit in chars.
     *
     * @return the limit given at construction
     */
    public int maxStringLength() {
        return maxStringLength;
    }

    /**
     * Renders one record. Never throws.
     *
     * @param record the record; null yields an empty {@code info} row
     * @return the row; never null
     */
    public PostgresRow render(LogRecord record) {
        if (record == null) {
            return new PostgresRow(Instant.now(), "info", "", null, null, JsonConverter.BUILDERS.createObjectBuilder()
                    .add("render_error", "null record").build());
        }
        try {
            return renderRecord(record);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return fallback(record, e);
        }
    }

    /**
     * Renders one record, taking from the logging thread now what only it has (the caller, the
     * thread's name, its open scopes) and building the {@code data} object only when it is first
     * read, on whatever thread reads it: for a handler that hands rows to a writer thread, so that
     * the caller does not pay for the JSON. Only a record whose every value is immutable (strings,
     * the JDK's numbers, booleans, characters, enums, {@code java.time} values, UUIDs, null) in its
     * parameters, its fields and its open scopes' fields, and that has no exception, is deferred;
     * any other is rendered whole now, because its values could change after this call returns.
     * The row is the one {@link #render(LogRecord)} gives (should building its data fail, the
     * data says so and the other columns stay). Never throws.
     *
     * @param record the record; null yields an empty {@code info} row
     * @return the row; never null
     */
    public PostgresRow renderForAnotherThread(LogRecord record) {
        if (record == null || record.getThrown() != null) {
            return render(record);
        }
        try {
            Captured captured = capture(record);
            if (!ImmutableValues.all(captured.parameters) || !ImmutableValues.allInScopes(captured.scopes)) {
                return captured.row(data(captured));
            }
            return captured.row(new DeferredObject(() -> dataOrError(captured)));
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return fallback(record, e);
        }
    }

    private JsonObject dataOrError(Captured captured) {
        try {
            return data(captured);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return renderError(e);
        }
    }

    private PostgresRow renderRecord(LogRecord record) {
        Captured captured = capture(record);
        return captured.row(data(captured));
    }

    /** Everything of a record that must be read on the logging thread, and the columns besides data. */
    private Captured capture(LogRecord record) {
        Object[] parameters = record.getParameters();
        Map<String, Object> fields = fieldsOf(parameters);
        boolean onLoggingThread = record.getLongThreadID() == Thread.currentThread().getId();
        String threadName = onLoggingThread ? Thread.currentThread().getName() : null;
        List<LogScope> scopes = List.of();
        String scope = null;
        if (onLoggingThread) {
            for (LogScope open : LogScope.openOnCurrentThread()) {
                scopes = scopes.isEmpty() ? new ArrayList<>(2) : scopes;
                scopes.add(open);
                scope = open.name();
            }
        }
        Object scopeField = fields.get("scope");
        if (scopeField != null) {
            scope = JsonConverter.safeToString(scopeField);
        }
        Object funcField = fields.get("func");
        String func = funcField != null ? JsonConverter.safeToString(funcField) : sourceOf(record);
        String pattern = record.getMessage();
        return new Captured(record, parameters, fields, threadName, scopes, record.getInstant(),
                text.clean(StoggerLevels.nameOf(record.getLevel())), pattern == null ? "" : text.clean(pattern),
                text.clean(func), text.clean(scope));
    }

    private JsonObject data(Captured captured) {
        LogRecord record = captured.record;
        Object[] parameters = captured.parameters;
        String pattern = record.getMessage();
        JsonObjectBuilder data = JsonConverter.BUILDERS.createObjectBuilder();
        if (record.getLoggerName() != null) {
            data.add("logger", json.string(record.getLoggerName()));
        }
        if (captured.threadName != null) {
            data.add("thread", json.string(captured.threadName));
        }
        data.add("thread_id", record.getLongThreadID());
        MessageFormatting formatting = MessageFormatting.of(record, pattern, parameters);
        if (formatting.message != null && !formatting.message.equals(pattern)) {
            data.add("message", json.string(formatting.message));
        }
        JsonArrayBuilder args = null;
        if (parameters != null) {
            for (int i = formatting.usedParameters; i < parameters.length; i++) {
                if (!(parameters[i] instanceof Fields)) {
                    args = args == null ? JsonConverter.BUILDERS.createArrayBuilder() : args;
                    args.add(json.convert(parameters[i]));
                }
            }
        }
        if (args != null) {
            data.add("args", args);
        }
        if (record.getThrown() != null) {
            data.add("exception", exceptions.render(record.getThrown()));
        }
        for (LogScope open : captured.scopes) {
            addFields(data, open.fields().asMap());
        }
        addFields(data, captured.fields);
        return data.build();
    }

    /** What {@link #capture} took from the logging thread, and the row's plain columns. */
    private static final class Captured {
        final LogRecord record;
        final Object[] parameters;
        final Map<String, Object> fields;
        final String threadName;
        final List<LogScope> scopes;
        final Instant timestamp;
        final String level;
        final String event;
        final String func;
        final String scope;

        Captured(LogRecord record, Object[] parameters, Map<String, Object> fields, String threadName,
                List<LogScope> scopes, Instant timestamp, String level, String event, String func, String scope) {
            this.record = record;
            this.parameters = parameters;
            this.fields = fields;
            this.threadName = threadName;
            this.scopes = scopes;
            this.timestamp = timestamp;
            this.level = level;
            this.event = event;
            this.func = func;
            this.scope = scope;
        }

        PostgresRow row(JsonObject data) {
            return new PostgresRow(timestamp, level, event, func, scope, data);
        }
    }

    private void addFields(JsonObjectBuilder data, Map<String, Object> fields) {
        fields.forEach((key, value) -> {
            if (!"func".equals(key) && !"scope".equals(key)) {
                data.add(json.key(key), json.convert(value));
            }
        });
    }

    private static Map<String, Object> fieldsOf(Object[] parameters) {
        if (parameters == null) {
            return Map.of();
        }
        Map<String, Object> only = null;
        Map<String, Object> merged = null;
        for (Object parameter : parameters) {
            if (parameter instanceof Fields f && !f.isEmpty()) {
                if (only == null) {
                    only = f.asMap();
                } else {
                    if (merged == null) {
                        merged = new LinkedHashMap<>(only);
                    }
                    merged.putAll(f.asMap());
                }
            }
        }
        // One Fields (the usual call) is used as it is: it cannot change, so it needs no copy.
        return merged != null ? merged : only != null ? only : Map.of();
    }

    private static String sourceOf(LogRecord record) {
        String className = record.getSourceClassName();
        String methodName = record.getSourceMethodName();
        if (className == null) {
            return methodName;
        }
        return methodName == null ? className : className + "." + methodName;
    }

    private PostgresRow fallback(LogRecord record, Throwable problem) {
        Instant timestamp;
        try {
            timestamp = record.getInstant();
        } catch (RuntimeException e) {
            timestamp = Instant.now();
        }
        String message = record.getMessage();
        return new PostgresRow(timestamp, text.clean(StoggerLevels.nameOf(record.getLevel())),
                message == null ? "" : text.clean(message), null, null, renderError(problem));
    }

    private JsonObject renderError(Throwable problem) {
        return JsonConverter.BUILDERS.createObjectBuilder().add("render_error", json.string(problem.getClass()
                .getName() + ": " + JsonConverter.safeMessage(problem))).build();
    }

    /**
     * The formatted message and how many leading parameters its pattern uses, following
     * {@link java.util.logging.Formatter#formatMessage}: the pattern is localised with the
     * record's resource bundle and run through {@link MessageFormat} when it has a placeholder.
     */
    private static final class MessageFormatting {
        final String message;
        final int usedParameters;

        private MessageFormatting(String message, int usedParameters) {
            this.message = message;
            this.usedParameters = usedParameters;
        }

        static MessageFormatting of(LogRecord record, String pattern, Object[] parameters) {
            if (pattern == null) {
                return new MessageFormatting(null, 0);
            }
            String localized = localize(record.getResourceBundle(), pattern);
            if (parameters == null || parameters.length == 0 || !hasPlaceholder(localized)) {
                return new MessageFormatting(localized, 0);
            }
            try {
                MessageFormat format = new MessageFormat(localized);
                int used = format.getFormatsByArgumentIndex().length;
                try {
                    return new MessageFormatting(format.format(parameters), used);
                } catch (RuntimeException | StackOverflowError e) {
                    Object[] safe = new Object[parameters.length];
                    for (int i = 0; i < parameters.length; i++) {
                        safe[i] = JsonConverter.safeToString(parameters[i]);
                    }
                    return new MessageFormatting(format.format(safe), used);
                }
            } catch (IllegalArgumentException e) {
                return new MessageFormatting(localized, 0);
            }
        }

        private static String localize(ResourceBundle bundle, String key) {
            if (bundle == null) {
                return key;
            }
            try {
                return bundle.getString(key);
            } catch (MissingResourceException | ClassCastException e) {
                return key;
            }
        }

        private static boolean hasPlaceholder(String pattern) {
            for (int i = pattern.indexOf('{'); i >= 0 && i + 1 < pattern.length(); i = pattern.indexOf('{', i + 1)) {
                if (Character.isDigit(pattern.charAt(i + 1))) {
                    return true;
                }
            }
            return false;
        }
    }
}
