package stogger.postgres.internal.connection;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a channel that is still connecting when its timeout passes, which wakes the thread
 * blocked in {@code connect}. Exactly one of {@link #finish()} and the expiry wins.
 */
final class ConnectDeadline implements Runnable {

    private final SocketChannel connecting;
    private final long timeoutMillis;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Thread watchdog;

    ConnectDeadline(SocketChannel connecting, int timeoutMillis, Path path) {
        this.connecting = connecting;
        this.timeoutMillis = timeoutMillis;
        watchdog = new Thread(this, "stogger connect timeout " + path);
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Ends the wait; false when the timeout already passed (and the channel was closed). */
    boolean finish() {
        boolean inTime = settled.compareAndSet(false, true);
        if (inTime) {
            watchdog.interrupt();
        }
        return inTime;
    }

    @Override
    public void run() {
        try {
            Thread.sleep(timeoutMillis);
        } catch (InterruptedException e) {
            return; // connected or failed in time
        }
        if (settled.compareAndSet(false, true)) {
            try {
                connecting.close();
            } catch (IOException e) {
                // The connecting thread sees the channel closed either way.
            }
        }
    }
}
