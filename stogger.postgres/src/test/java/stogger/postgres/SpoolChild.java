package stogger.postgres;

import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;

/**
 * A plain application for the child JVMs of {@link SpoolCrashTest}: a handler built from system
 * properties ({@code child.*}), numbered records with a {@code seq} field, and then, by
 * {@code child.then}, {@code hold} (wait to be killed), {@code drain} (wait until the spool is
 * replayed, then close) or {@code close}. It prints what it did on stdout, one line per step.
 */
public final class SpoolChild {

    private SpoolChild() {
    }

    public static void main(String[] args) throws Exception {
        PostgresSettings.Builder settings = PostgresSettings.builder().dsn(System.getProperty("child.dsn"))
                .table(System.getProperty("child.table")).spoolDirectory(System.getProperty("child.dir"))
                .mode(System.getProperty("child.mode", "async")).spoolMode(System.getProperty("child.spoolMode",
                        "outage")).retryInitialMs(100).retryMaxMs(500).closeTimeoutMs(60_000)
                .spoolMaxBytes(Integer.parseInt(System.getProperty("child.maxBytes", "268435456")));
        PostgresHandler handler = new PostgresHandler(settings.build());
        Logger log = Logger.getLogger("spool.child");
        log.setUseParentHandlers(false);
        log.addHandler(handler);
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
}
