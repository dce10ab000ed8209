package stogger.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a test's PostgreSQL server when the JVM that started it dies in any way, shutdown hooks
 * or not: PIT ends a minion whose mutant stalls without running them, and the servers it had
 * started used to stay behind, dozens of them by the end of a run, slowing every later mutant.
 *
 * <p>A small shell process reads a pipe from this JVM; the operating system closes the pipe when
 * the JVM exits, however it exits, and the shell then sends SIGQUIT (immediate shutdown) to the
 * server named by its {@code postmaster.pid} and deletes the directory. No polling. A server the
 * test stopped itself has no {@code postmaster.pid} left (nor, usually, a directory), so then the
 * shell stops nothing.
 */
final class ServerWatchdog {

    // The pipes must stay open for as long as the JVM lives: a collected stream would be closed.
    private static final List<Process> WATCHDOGS = new ArrayList<>();

    private ServerWatchdog() {
    }

    /**
     * Stops the server whose data directory is {@code data} and deletes {@code directory} once
     * this JVM is gone. Called before the server starts, so that a JVM killed while the server
     * starts leaves nothing behind either.
     */
    static synchronized void stopWithThisJvm(Path data, Path directory) {
        // The JVM may die while pg_ctl is starting the server: give the postmaster a second to
        // write its pid before looking.
        String script = "cat >/dev/null; sleep 1; pid=$(head -n 1 \"$1/postmaster.pid\" 2>/dev/null); "
                + "if [ -n \"$pid\" ] && kill -QUIT \"$pid\" 2>/dev/null; then "
                + "while kill -0 \"$pid\" 2>/dev/null; do sleep 0.2; done; fi; rm -rf \"$2\"";
        try {
            WATCHDOGS.add(new ProcessBuilder("sh", "-c", script, "stogger-test-server-watchdog", data.toString(),
                    directory.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the shell that stops the test server " + data
                    + " when this JVM dies", e);
        }
    }
}
