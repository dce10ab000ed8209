package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed as {@code kill -9} kills it, with no shutdown hook run, leaves no test server
 * behind: the server stops and its directory goes.
 */
class ServerWatchdogTest {

    @Test
    void aServerStopsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ChildJvm.classPath(), Child.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int port;
        Path directory;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("server "), "the child printed no server: " + line);
            String[] words = line.split(" ");
            port = Integer.parseInt(words[1]);
            directory = Path.of(words[2]);
            assertTrue(accepts(port), "the child's server does not accept connections on " + port);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((accepts(port) || Files.exists(directory)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(accepts(port), "the server on port " + port + " still runs after its JVM was killed");
        assertFalse(Files.exists(directory), directory + " is still there after its JVM was killed");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a server of its own, prints its port and directory, and waits to be killed. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            TestServers.Server server = TestServers.server().start();
            System.out.println("server " + server.port() + " " + server.directory());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
