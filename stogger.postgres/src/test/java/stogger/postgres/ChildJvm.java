package stogger.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM running {@link SpoolChild} with this test run's classes and dependencies on its
 * class path and its handler configured by a {@code logging.properties} file; a test can wait for a line it prints, kill it as {@code kill -9} does, or wait for
 * it to end.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** The class path of this test run: its class path and its module path, as one class path. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                entries.add(value);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static ChildJvm start(Map<String, String> properties, String... jvmOptions) {
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", classPath()));
            command.addAll(List.of(jvmOptions));
            command.add("-Djava.util.logging.config.file=" + loggingProperties(properties));
            properties.forEach((k, v) -> command.add("-Dchild." + k + "=" + v));
            command.add(SpoolChild.class.getName());
            Path out = Files.createTempFile("spool-child", ".out");
            Path err = Files.createTempFile("spool-child", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            return new ChildJvm(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The handler's keys that the children share, beside those a test gives. */
    private static final Map<String, String> HANDLER_DEFAULTS = Map.of("mode", "async", "spoolMode", "outage",
            "retryInitialMs", "100", "retryMaxMs", "500", "closeTimeoutMs", "60000", "spoolMaxBytes", "268435456");

    /** Test properties that are handler keys under another name. */
    private static final Map<String, String> HANDLER_KEYS = Map.of("dsn", "dsn", "table", "table", "dir",
            "spoolDirectory", "mode", "mode", "spoolMode", "spoolMode", "maxBytes", "spoolMaxBytes");

    /**
     * A {@code logging.properties} that puts the handler on the root logger, as an application's
     * does: the test's {@code dsn}, {@code table}, {@code dir}, {@code mode}, {@code spoolMode} and
     * {@code maxBytes} as handler keys, over the children's defaults.
     */
    private static String loggingProperties(Map<String, String> properties) throws IOException {
        Map<String, String> keys = new java.util.TreeMap<>(HANDLER_DEFAULTS);
        HANDLER_KEYS.forEach((property, key) -> {
            if (properties.containsKey(property)) {
                keys.put(key, properties.get(property));
            }
        });
        List<String> lines = new ArrayList<>(List.of("handlers = " + PostgresHandler.class.getName(), ".level = INFO"));
        keys.forEach((key, value) -> lines.add(PostgresHandler.class.getName() + "." + key + " = "
                + value.replace("\\", "\\\\")));
        Path file = Files.createTempFile("spool-child", ".properties");
        Files.write(file, lines);
        return file.toString();
    }

    long pid() {
        return process.pid();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until stdout has a line starting with {@code prefix}; returns the last such line. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String last = null;
            for (String line : stdout().split("\n")) {
                if (line.startsWith(prefix)) {
                    last = line;
                }
            }
            if (last != null) {
                return last;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the child ended without printing '" + prefix + "': " + this);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + prefix + "' within " + timeout + ": " + this);
    }

    /** {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the end; returns the exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within " + timeout + ": " + this);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }
}
