package stogger.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL servers of a test's own, beside the shared {@link TestDatabase}: each made with
 * {@code initdb} in a temporary directory and run with {@code pg_ctl} on a free port of
 * 127.0.0.1, trusting local users; optionally read-only by default (as a standby appears to
 * {@code target_session_attrs}) or with TLS from a throwaway CA ({@link Tls}). Run as root, the
 * server runs as the {@code postgres} OS user ({@code runuser}). A missing program fails the test
 * with what to install; nothing is skipped.
 *
 * <p>The server has the shared server's superuser and database (so a DSN can list both), and a
 * test stops it with {@link Server#close()} ({@code pg_ctl stop -m immediate}, then the directory
 * is deleted); a JVM that exits first stops it too, even one killed without running its shutdown
 * hooks ({@link ServerWatchdog}).
 *
 * <p>Public, with the members other modules' tests need, because module-tests starts these
 * servers for the jlink image too (through this module's test-jar).
 */
public final class TestServers {

    /** The environment variable naming the directory of {@code initdb} and {@code pg_ctl}. */
    static final String BIN_ENV = "STOGGER_TEST_PG_BIN";
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final long COMMAND_TIMEOUT_S = 120;
    private static final String OS_USER = "postgres";

    private TestServers() {
    }

    /** A server to configure and start. */
    public static Builder server() {
        return new Builder();
    }

    /** What the server is like. */
    public static final class Builder {
        private boolean readOnly;
        private Tls tls;
        private final List<String> listen = new ArrayList<>(List.of("127.0.0.1"));

        /** {@code default_transaction_read_only = on}: every session is read-only unless it says otherwise. */
        Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        /**
         * TLS with the CA's server certificate; TCP clients must use TLS ({@code hostssl}), and
         * {@link Tls#clientUser} must present a client certificate ({@code cert}).
         */
        public Builder tls(Tls files) {
            this.tls = files;
            return this;
        }

        /** Listens on this address as well (a loopback address such as 127.0.0.2). */
        Builder alsoListenOn(String address) {
            listen.add(address);
            return this;
        }

        public Server start() {
            try {
                return Server.start(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start a test PostgreSQL server", e);
            }
        }
    }

    /** A running server of the test's own. */
    public static final class Server implements AutoCloseable {
        private final Path base;
        private final Path data;
        private final String user;
        private final String database;
        private final int port;
        private final Thread stopAtExit;
        private boolean closed;

        private Server(Path base, String user, String database, int port) {
            this.base = base;
            this.data = base.resolve("data");
            this.user = user;
            this.database = database;
            this.port = port;
            this.stopAtExit = new Thread(this::stopQuietly, "stop-test-postgres-" + port);
            Runtime.getRuntime().addShutdownHook(stopAtExit);
        }

        private static Server start(Builder options) throws IOException {
            Path bin = binaries();
            TestDatabase shared = TestDatabase.get();
            String user;
            String database;
            try {
                user = shared.value("SELECT current_user");
                database = shared.value("SELECT current_database()");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the shared test server's user and database", e);
            }
            Path base = Files.createTempDirectory("stogger-pg-");
            giveToServerUser(base);
            Path data = base.resolve("data");
            ServerWatchdog.stopWithThisJvm(data, base);
            run(base, true, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user, "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync");
            StringBuilder conf = new StringBuilder("\n# stogger test server\n")
                    .append("listen_addresses = '").append(String.join(",", options.listen)).append("'\n")
                    .append("unix_socket_directories = '").append(base).append("'\n")
                    .append("fsync = off\nshared_buffers = 16MB\nmax_connections = 30\n");
            StringBuilder hba = new StringBuilder("local all all trust\n");
            if (options.readOnly) {
                conf.append("default_transaction_read_only = on\n");
            }
            if (options.tls != null) {
                copyForServer(options.tls.serverCert, data.resolve("server.crt"));
                copyForServer(options.tls.serverKey, data.resolve("server.key"));
                copyForServer(options.tls.caCert, data.resolve("ca.crt"));
                conf.append("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
                        .append("ssl_ca_file = 'ca.crt'\n");
                hba.append("hostssl all ").append(options.tls.clientUser).append(" 127.0.0.0/8 cert\n")
                        .append("hostssl all all 127.0.0.0/8 trust\n");
            } else {
                hba.append("host all all 127.0.0.0/8 trust\n");
            }
            Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            Files.writeString(data.resolve("pg_hba.conf"), hba, StandardOpenOption.TRUNCATE_EXISTING);
            Path log = base.resolve("server.log");
            IOException lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                try {
                    run(base, true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(),
                            "-o", "-p " + port, "-w", "-t", "60", "start");
                } catch (IOException e) {
                    // Another process may have taken the port meanwhile: try another one.
                    lastFailure = e;
                    continue;
                }
                Server server = new Server(base, user, database, port);
                if (!"postgres".equals(database) && !"template1".equals(database)) {
                    try {
                        server.createDatabase("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                    } catch (SQLException e) {
                        server.close();
                        throw new IllegalStateException("cannot create the database " + database + " on " + server, e);
                    }
                }
                return server;
            }
            deleteTree(base);
            throw lastFailure;
        }

        /** The address to connect to. */
        public String host() {
            return "127.0.0.1";
        }

        public int port() {
            return port;
        }

        /** The directory of the server's data, socket and log. */
        Path directory() {
            return base;
        }

        /** The superuser (the shared server's). */
        public String user() {
            return user;
        }

        /** The database (the shared server's name). */
        public String database() {
            return database;
        }

        /** A libpq URI of the superuser at this server. */
        public String dsn() {
            return "postgresql://" + user + "@" + host() + ":" + port + "/" + database;
        }

        /** Runs one statement in the database, as the superuser over the Unix-domain socket. */
        public void execute(String sql) throws SQLException {
            admin(database, sql);
        }

        /** The first column of every row of a query, as strings. */
        public List<String> column(String sql) throws SQLException {
            try (Connection c = connect(database); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        }

        /** A single value. */
        String value(String sql) throws SQLException {
            List<String> values = column(sql);
            if (values.size() != 1) {
                throw new AssertionError("expected one row from " + sql + ", got " + values);
            }
            return values.get(0);
        }

        /** Whether the table exists here. */
        public boolean hasTable(String table) throws SQLException {
            return "t".equals(value("SELECT to_regclass('" + table + "') IS NOT NULL"));
        }

        /** How many lines of the server's log contain the text. */
        long logLines(String text) {
            try (Stream<String> lines = Files.lines(base.resolve("server.log"), StandardCharsets.UTF_8)) {
                return lines.filter(line -> line.contains(text)).count();
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalStateException("cannot read the log of " + this, e);
            }
        }

        /** The last lines of the server's log, for a failure message. */
        public String logTail() {
            return tail(base.resolve("server.log"));
        }

        private void admin(String db, String sql) throws SQLException {
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        /** In a session that may write even on a server that is read-only by default. */
        private void createDatabase(String sql) throws SQLException {
            try (Connection c = connect("postgres", "-c default_transaction_read_only=off");
                    Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        private Connection connect(String db) throws SQLException {
            return connect(db, null);
        }

        /** Over the Unix-domain socket, which trusts every user and needs no TLS. */
        private Connection connect(String db, String options) throws SQLException {
            Properties properties = new Properties();
            if (options != null) {
                properties.setProperty("options", options);
            }
            properties.setProperty("user", user);
            properties.setProperty("socketFactory", "stogger.postgres.UnixDomainSocketFactory");
            properties.setProperty("socketFactoryArg", base.toString());
            properties.setProperty("sslmode", "disable");
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, properties);
        }

        /** Stops the server at once and deletes its directory. */
        @Override
        public synchronized void close() {
            stopQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting: the hook runs anyway.
            }
        }

        private synchronized void stopQuietly() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                run(base, true, binaries().resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                        "-w", "stop");
            } catch (IOException | RuntimeException e) {
                System.err.println("stopping the test server on port " + port + " failed: " + e.getMessage());
            }
            deleteTree(base);
        }

        @Override
        public String toString() {
            return "test server " + host() + ":" + port;
        }
    }

    /**
     * A throwaway CA made with {@code openssl} and what it signed: a server certificate for
     * 127.0.0.1 and localhost (in its subjectAltName; not 127.0.0.2), a client certificate for
     * {@link #clientUser} (its key PEM PKCS#8, {@code client.key}, mode 0600), and another CA
     * that signed nothing here (the wrong CA).
     */
    public static final class Tls implements AutoCloseable {
        final Path directory;
        public final Path caCert;
        public final Path otherCaCert;
        final Path serverCert;
        final Path serverKey;
        public final Path clientCert;
        public final Path clientKey;
        public final Path clientKeyDer;
        public final String clientUser;

        private Tls(Path directory, String clientUser) {
            this.directory = directory;
            this.caCert = directory.resolve("ca.crt");
            this.otherCaCert = directory.resolve("other-ca.crt");
            this.serverCert = directory.resolve("server.crt");
            this.serverKey = directory.resolve("server.key");
            this.clientCert = directory.resolve("client.crt");
            this.clientKey = directory.resolve("client.key");
            this.clientKeyDer = directory.resolve("client.pk8");
            this.clientUser = clientUser;
        }

        public static Tls create(String clientUser) {
            try {
                Path dir = Files.createTempDirectory("stogger-tls-");
                Tls tls = new Tls(dir, clientUser);
                tls.make();
                return tls;
            } catch (IOException e) {
                throw new UncheckedIOException("could not make the test certificates with openssl", e);
            }
        }

        private void make() throws IOException {
            String days = "2";
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days",
                    days, "-subj", "/CN=stogger test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign");
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt",
                    "-days", days, "-subj", "/CN=stogger other CA", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            Files.writeString(directory.resolve("server.ext"), "basicConstraints = CA:FALSE\n"
                    + "subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n");
            openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=127.0.0.1");
            openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                    serial(), "-days", days, "-extfile", "server.ext", "-out", "server.crt");
            Files.writeString(directory.resolve("client.ext"), "basicConstraints = CA:FALSE\n"
                    + "extendedKeyUsage = clientAuth\n");
            openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
                    "-subj", "/CN=" + clientUser);
            openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                    serial(), "-days", days, "-extfile", "client.ext", "-out", "client.crt");
            openssl("pkcs8", "-topk8", "-nocrypt", "-inform", "PEM", "-outform", "DER", "-in", "client.key", "-out",
                    "client.pk8");
            Files.setPosixFilePermissions(clientKey, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(clientKeyDer, PosixFilePermissions.fromString("rw-------"));
            // pgjdbc 42.7 reads a PEM key only in PKCS#8 form ("BEGIN PRIVATE KEY"), which openssl 1.1
            // and 3 write for req -newkey.
            String key = Files.readString(clientKey, StandardCharsets.US_ASCII);
            if (!key.startsWith("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException("openssl wrote the client key in a form other than PEM PKCS#8: "
                        + key.lines().findFirst().orElse("(empty)"));
            }
        }

        private static String serial() {
            return "0x" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        }

        private void openssl(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add("openssl");
            command.addAll(List.of(args));
            try {
                TestServers.run(directory, false, command.toArray(String[]::new));
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("cannot run openssl")) {
                    throw new IllegalStateException("openssl is needed to make the test certificates and was not"
                            + " found on the PATH: install it (Debian: apt-get install openssl)", e);
                }
                throw e;
            }
        }

        @Override
        public void close() {
            deleteTree(directory);
        }
    }

    /** Where initdb and pg_ctl are: {@value #BIN_ENV}, else PostgreSQL 15's directory on Debian. */
    static Path binaries() {
        String configured = System.getenv(BIN_ENV);
        Path bin = configured != null && !configured.isBlank() ? Path.of(configured) : DEFAULT_BIN;
        for (String program : List.of("initdb", "pg_ctl")) {
            if (!Files.isExecutable(bin.resolve(program))) {
                throw new IllegalStateException("the tests need PostgreSQL's server programs, and " + bin.resolve(program)
                        + " is missing: install them (Debian: apt-get install postgresql-15) or set " + BIN_ENV
                        + " to the directory of initdb and pg_ctl");
            }
        }
        return bin;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** As root, the server's files belong to the postgres OS user, who runs the server. */
    private static void giveToServerUser(Path path) throws IOException {
        if (root()) {
            UserPrincipal owner;
            try {
                owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            } catch (UserPrincipalNotFoundException e) {
                throw new IllegalStateException("the tests run as root and need the " + OS_USER + " OS user to run"
                        + " PostgreSQL (Debian's postgresql-15 package creates it)", e);
            }
            Files.setOwner(path, owner);
        }
    }

    private static void copyForServer(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        giveToServerUser(to);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /**
     * Runs a program in the directory and waits for it; as root and {@code asServerUser}, as the
     * postgres OS user. Fails with its output when it fails.
     */
    private static void run(Path directory, boolean asServerUser, String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asServerUser && root()) {
            // PostgreSQL refuses to run as root: run it as the postgres OS user (util-linux's runuser).
            String runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")
                    .filter(candidate -> Files.isExecutable(Path.of(candidate))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the tests run as root and need runuser"
                            + " (Debian: util-linux) to run PostgreSQL as the " + OS_USER + " OS user"));
            full.addAll(List.of(runuser, "-u", OS_USER, "--"));
        }
        full.addAll(List.of(command));
        Path output = Files.createTempFile("stogger-cmd-", ".out");
        try {
            Process process;
            try {
                process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new IOException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
            }
            boolean done = process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within " + COMMAND_TIMEOUT_S + " s: "
                        + tail(output));
            }
            if (process.exitValue() != 0) {
                Path log = directory.resolve("server.log");
                throw new IOException(String.join(" ", full) + " failed with exit code " + process.exitValue() + ": "
                        + tail(output) + (Files.exists(log) ? "\nserver log: " + tail(log) : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", full), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
