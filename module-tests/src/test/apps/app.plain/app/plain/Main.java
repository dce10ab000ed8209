package app.plain;

import java.util.logging.Level;
import java.util.logging.Logger;

/** A plain java.util.logging application: it knows nothing of stogger. */
public final class Main {
    public static void main(String[] args) {
        Logger log = Logger.getLogger("app.plain");
        log.info("plain-started");
        log.log(Level.WARNING, "plain-warning {0}", 42);
        System.getLogger("app.system").log(System.Logger.Level.INFO, "system-logger-event");
        System.out.println("plain-done");
    }
}
