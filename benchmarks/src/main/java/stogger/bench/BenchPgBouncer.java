package stogger.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer ({@code /usr/sbin/pgbouncer}, Debian's package) in transaction pooling mode on a
 * free port of 127.0.0.1, trusting its one user, in front of one server that trusts that user too. PgBouncer refuses to run
 * as root, so as root it runs as the {@code postgres} OS user.
 */
final class BenchPgBouncer implements AutoCloseable {

    private static final String BINARY = "/usr/sbin/pgbouncer";

    private final Process process;
    private final int port;

    private BenchPgBouncer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static BenchPgBouncer start(String serverHost, int serverPort, String user, int poolSize) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's pgbouncer package");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bench-pgbouncer");
        // auth_type = trust still admits only the users of auth_file.
        Files.writeString(dir.resolve("userlist.txt"), "\"" + user + "\" \"\"\n");
        Path ini = Files.write(dir.resolve("pgbouncer.ini"), List.of("[databases]",
                "* = host=" + serverHost + " port=" + serverPort, "[pgbouncer]", "listen_addr = 127.0.0.1",
                "listen_port = " + port, "unix_socket_dir =", "auth_type = trust",
                "auth_file = " + dir.resolve("userlist.txt"), "pool_mode = transaction",
                "default_pool_size = " + poolSize, "ignore_startup_parameters = extra_float_digits",
                "logfile = " + dir.resolve("pgbouncer.log")));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, postgres);
                }
            }
            // exec, so that the process we hold is PgBouncer itself and destroy() stops it.
            command.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        command.addAll(List.of(BINARY, ini.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        BenchPgBouncer bouncer = new BenchPgBouncer(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return bouncer;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        bouncer.close();
        throw new IllegalStateException("pgbouncer did not start; see " + dir);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
