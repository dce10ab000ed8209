package app.mbean;

import java.lang.management.ManagementFactory;
import java.util.logging.Handler;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A plain JUL application that logs a flood of numbered records, flushes its handlers and prints
 * what the stogger MBeans of its own JVM say, as a user would read them in jconsole.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Logger log = Logger.getLogger("app.mbean");
        for (int i = 0; i < count; i++) {
            log.info("flood-" + (i % 2));
        }
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName("stogger:type=PostgresHandler,*"), null)) {
            System.out.println("mbean " + name + " Written=" + server.getAttribute(name, "Written") + " Dropped="
                    + server.getAttribute(name, "Dropped") + " LostQueueFull=" + server.getAttribute(name,
                    "LostQueueFull") + " Connected=" + server.getAttribute(name, "Connected"));
        }
    }
}
