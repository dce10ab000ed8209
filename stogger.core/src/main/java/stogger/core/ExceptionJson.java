package stogger.core;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a {@link Throwable} as the {@code exception} object of a row: {@code type},
 * {@code message}, {@code stack_trace} (as {@code printStackTrace} prints it) and
 * {@code causes}, the chain of causes each with its type and message.
 */
final class ExceptionJson {

    private static final int MAX_CAUSES = 16;

    private final JsonConverter json;

    ExceptionJson(JsonConverter json) {
        this.json = json;
    }

    JsonObject render(Throwable thrown) {
        JsonObjectBuilder object = JsonConverter.BUILDERS.createObjectBuilder()
                .add("type", thrown.getClass().getName())
                .add("message", json.convert(message(thrown)))
                .add("stack_trace", json.string(stackTrace(thrown)));
        JsonArrayBuilder causes = JsonConverter.BUILDERS.createArrayBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(thrown);
        Throwable cause = cause(thrown);
        int count = 0;
        while (cause != null && seen.add(cause) && count++ < MAX_CAUSES) {
            causes.add(JsonConverter.BUILDERS.createObjectBuilder()
                    .add("type", cause.getClass().getName())
                    .add("message", json.convert(message(cause))));
            cause = cause(cause);
        }
        object.add("causes", causes);
        return object.build();
    }

    private static String message(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return "[getMessage() threw " + e.getClass().getName() + "]";
        }
    }

    private static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        try (PrintWriter writer = new PrintWriter(out)) {
            thrown.printStackTrace(writer);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A throwable whose toString or getMessage throws still gets its frames.
            StringBuilder frames = new StringBuilder(thrown.getClass().getName());
            for (StackTraceElement element : thrown.getStackTrace()) {
                frames.append(System.lineSeparator()).append("\tat ").append(element);
            }
            return frames.toString();
        }
        return out.toString();
    }
}
