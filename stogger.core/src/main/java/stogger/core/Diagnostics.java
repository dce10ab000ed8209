package stogger.core;

/**
 * Writes stogger's own diagnostics to stderr with a fixed prefix, never through
 * java.util.logging: a problem with logging must not be reported through the logging system
 * that has the problem.
 */
final class Diagnostics {

    static final String PREFIX = "stogger: ";

    private Diagnostics() {
    }

    static void warn(String message) {
        // System.err is looked up on every call so that tests (and applications) that replace it
        // with System.setErr see the line.
        System.err.println(PREFIX + message);
    }
}
