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
     * Logs three records in a scope and prints what it did; with a count, also that many records
     * {@code image-numbered} with a field {@code seq} from 0, so that a reader can tell which arrived.
     *
     * @param args nothing, or the count of numbered records
     */
    public static void main(String[] args) {
        int numbered = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Logger log = Logger.getLogger("stogger.runtime.sample");
        try (LogScope ignored = LogScope.open("image-check", "runtime", "jlink")) {
            log.log(Level.INFO, "image-started", Fields.of("java_version", Runtime.version().toString()));
            log.log(Level.WARNING, "image-warning", Fields.of("modules", ModuleLayer.boot().modules().size()));
            for (int seq = 0; seq < numbered; seq++) {
                log.log(Level.INFO, "image-numbered", Fields.of("seq", seq));
            }
            log.log(Level.INFO, "image-finished");
        }
        System.out.println("sample done: " + (3 + numbered) + " records logged");
    }
}
