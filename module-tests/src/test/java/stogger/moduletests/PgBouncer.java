package stogger.moduletests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PgBouncer (Debian's package) on a free loopback port in front of the test server, in
 * transaction pooling mode with a pool smaller than the number of clients. PgBouncer refuses to
 * run as root, so as root it runs as the {@code postgres} user.
 */
final class PgBouncer implements AutoCloseable {

    private static final String BINARY = "/usr/sbin/pgbouncer";

    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts it; fails (never skips) when the program is missing: `.ci/run` installs it. */
    static PgBouncer start(String serverHost, int serverPort, int poolSize) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: install Debian's pgbouncer package (.ci/run does)");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path dir = Files.createTempDirectory("pgbouncer");
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
        Files.write(ini, List.of(
                "[databases]",
                "* = host=" + serverHost + " port=" + serverPort,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + dir.resolve("userlist.txt"),
                "pool_mode = transaction",
                "default_pool_size = " + poolSize,
                "max_client_conn = 200",
                // pgjdbc sends extra_float_digits at startup; PgBouncer's documentation says to ignore it.
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid")));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            java.nio.file.attribute.UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, postgres);
                }
            }
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(BINARY, ini.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return bouncer;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        bouncer.close();
        throw new AssertionError("pgbouncer did not start: " + bouncer.log());
    }

    int port() {
        return port;
    }

    /** What PgBouncer logged, for failure messages. */
    String log() {
        try {
            Path log = dir.resolve("pgbouncer.log");
            Path out = dir.resolve("stdout.log");
            return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        Path pidfile = dir.resolve("pgbouncer.pid");
        if (Files.exists(pidfile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidfile).trim())).ifPresent(ProcessHandle::destroy);
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
