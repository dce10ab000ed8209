package stogger.postgres;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;

/**
 * A plain JUL application for the child JVMs of {@link SpoolCrashTest}: its handler comes from
 * {@code logging.properties} on the root logger ({@code -Djava.util.logging.config.file}, written
 * by {@link ChildJvm}), and it logs numbered records with a {@code seq} field and then, by
 * {@code child.then}, {@code hold} (wait to be killed), {@code drain} (wait until the spool is
 * replayed, then close) or {@code close}. It prints what it did on stdout, one line per step.
 */
public final class SpoolChild {

    private SpoolChild() {
    }

    public static void main(String[] args) throws Exception {
        Logger log = Logger.getLogger("spool.child");
        PostgresHandler handler = rootHandler();
        int from = Integer.getInteger("child.from", 0);
        int to = Integer.getInteger("child.to", 0);
        int rate = Integer.getInteger("child.rate", 20_000);
        String pad = "p".repeat(Integer.getInteger("child.pad", 0));
        System.out.println("started " + ProcessHandle.current().pid());
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            log.log(Level.INFO, "numbered", pad.isEmpty() ? Fields.of("seq", i) : Fields.of("seq", i, "pad", pad));
            if ((i + 1) % 1000 == 0) {
                System.out.println("logged " + (i + 1));
            }
            long ahead = start + (i - from + 1) * 1_000_000_000L / rate - System.nanoTime();
            if (ahead > 1_000_000) {
                Thread.sleep(ahead / 1_000_000);
            }
        }
        // The writer moves what is queued into the spool (or writes it); on a busy machine that takes a while.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (handler.stats().queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("stats " + handler.stats().spooled() + " " + handler.stats());
        switch (System.getProperty("child.then", "close")) {
            case "hold" -> {
                System.out.println("holding");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "drain" -> {
                while (handler.stats().spooled() > 0) {
                    Thread.sleep(20);
                }
            }
            default -> {
            }
        }
        handler.close();
        System.out.println("closed " + handler.stats());
    }

    private static PostgresHandler rootHandler() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof PostgresHandler postgres) {
                return postgres;
            }
        }
        throw new IllegalStateException("logging.properties puts no PostgresHandler on the root logger");
    }
}
