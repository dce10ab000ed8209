package stogger.runtime;

import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;
import stogger.core.LogScope;

/** Logs a few structured records; where they go is up to the image's logging.properties. */
public final class SampleApp {

    private SampleApp() {
    }

    /**
     * Logs three records in a scope and prints what it did.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Logger log = Logger.getLogger("stogger.runtime.sample");
        try (LogScope ignored = LogScope.open("image-check", "runtime", "jlink")) {
            log.log(Level.INFO, "image-started", Fields.of("java_version", Runtime.version().toString()));
            log.log(Level.WARNING, "image-warning", Fields.of("modules", ModuleLayer.boot().modules().size()));
            log.log(Level.INFO, "image-finished");
        }
        System.out.println("sample done: 3 records logged");
    }
}
