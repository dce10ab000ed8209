package app.seq;

import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;

/** Logs numbered records as one worker: arguments worker id and count; exits without closing anything. */
public final class Main {
    public static void main(String[] args) {
        int worker = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        Logger log = Logger.getLogger("app.seq");
        for (int i = 0; i < count; i++) {
            log.log(Level.INFO, "numbered", Fields.of("worker", worker, "seq", i));
        }
        System.out.println("seq-done " + worker + " " + count);
    }
}
