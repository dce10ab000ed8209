package app.burst;

import java.util.logging.Logger;

/** Logs as many records as its argument says and returns from main without closing anything. */
public final class Main {
    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        Logger log = Logger.getLogger("app.burst");
        for (int i = 0; i < count; i++) {
            log.info("burst-record");
        }
        System.out.println("burst-done " + count);
    }
}
