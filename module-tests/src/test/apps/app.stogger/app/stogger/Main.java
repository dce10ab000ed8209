package app.stogger;

import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;
import stogger.core.InitResult;
import stogger.core.LogScope;
import stogger.core.Stogger;

/** An application that calls Stogger.init(); stogger.postgres is found by service binding alone. */
public final class Main {
    public static void main(String[] args) {
        InitResult result = Stogger.init();
        System.out.println("active=" + result.activeTargets() + " skipped=" + result.skippedTargets().keySet());
        Logger log = Logger.getLogger("app.stogger");
        try (LogScope scope = LogScope.open("batch", "size", 3)) {
            log.log(Level.INFO, "stogger-event", Fields.of("n", 1));
        }
        System.getLogger("app.system").log(System.Logger.Level.WARNING, "system-logger-warning");
        System.out.println("stogger-done");
    }
}
