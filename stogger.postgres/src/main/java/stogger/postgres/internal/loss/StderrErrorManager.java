package stogger.postgres.internal.loss;

import java.util.logging.ErrorManager;

/**
 * Prints every report on stderr with the prefix {@code stogger.postgres: } (the JDK's default
 * ErrorManager prints only the first one). The handler decides what and how often to report;
 * its messages are already masked, so the exception is summarised in one line, never printed
 * with a stack trace that could carry connection details.
 */
public final class StderrErrorManager extends ErrorManager {

    /** The prefix of every line. */
    public static final String PREFIX = "stogger.postgres: ";

    @Override
    public void error(String message, Exception exception, int code) {
        System.err.println(PREFIX + (message == null ? "error " + code : message));
    }
}
