package stogger.core;

import java.util.Locale;
import java.util.logging.Level;

/**
 * Maps java.util.logging levels to the level names that the Python edition of stogger writes,
 * so that services in both languages can share one table.
 */
final class StoggerLevels {

    private StoggerLevels() {
    }

    static String nameOf(Level level) {
        if (level == null) {
            return "info";
        }
        String name = level.getName();
        int value = level.intValue();
        // A custom level that merely reuses a standard name or value keeps its own name.
        if (value == Level.SEVERE.intValue() && "SEVERE".equals(name)) {
            return "error";
        }
        if (value == Level.WARNING.intValue() && "WARNING".equals(name)) {
            return "warning";
        }
        if (value == Level.INFO.intValue() && "INFO".equals(name)) {
            return "info";
        }
        if (value == Level.FINE.intValue() && "FINE".equals(name)) {
            return "debug";
        }
        return name == null ? String.valueOf(value) : name.toLowerCase(Locale.ROOT);
    }
}
