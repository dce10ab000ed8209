package stogger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the harness's applications in a fresh JVM on the harness's own class path, the
 * way a service starts, and reads the {@code RESULT rate p50 p99} line it prints; its {@code CPU}
 * line ({@link CpuUse}) is passed on to the harness's output.
 *
 * <p>Every child, stogger's and the references' alike, gets a fixed heap touched up front
 * ({@value #HEAP}): a service that has run a while has a heap of its steady size whose pages are
 * all in memory. A run of a few tens of thousands of records would otherwise also time its heap's
 * growth: each first touch of new heap memory is a page fault, which showed as 8–20 µs more CPU
 * per record on stogger's logging thread (which allocates more per record than the plain JDBC
 * application beside it), none of it stogger's own work.
 */
final class ChildJvm {

    /** The heap options of every child JVM. */
    static final String HEAP = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";
    /** The JDK the harness runs on, and its children unless told otherwise. */
    static final Path OWN_JDK = Path.of(System.getProperty("java.home"));

    private ChildJvm() {
    }

    /**
     * @param loggingProperties the lines of the child's {@code logging.properties}, or null for none
     * @param properties the child's system properties
     */
    static BenchSupport.Result run(String name, Class<?> main, List<String> loggingProperties,
            Map<String, String> properties) throws IOException, InterruptedException {
        return run(name, OWN_JDK, main, loggingProperties, properties);
    }

    /**
     * As {@link #run(String, Class, List, Map)}, on the JDK at {@code javaHome} instead of the
     * harness's own.
     */
    static BenchSupport.Result run(String name, Path javaHome, Class<?> main, List<String> loggingProperties,
            Map<String, String> properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin").resolve("java").toString()));
        command.addAll(List.of(HEAP.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        Path config = null;
        if (loggingProperties != null) {
            config = Files.createTempFile("bench-logging", ".properties");
            Files.write(config, loggingProperties);
            command.add("-Djava.util.logging.config.file=" + config);
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(main.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed:\n" + output);
            }
        } finally {
            process.destroyForcibly();
            if (config != null) {
                Files.deleteIfExists(config);
            }
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("CPU ")) {
                System.out.println("   " + name + ": " + line);
            }
            if (line.startsWith("RESULT ")) {
                String[] figures = line.trim().split(" ");
                return new BenchSupport.Result(name, Double.parseDouble(figures[1]), new BenchSupport.Latency(
                        Double.parseDouble(figures[2]), Double.parseDouble(figures[3])));
            }
        }
        throw new IllegalStateException(name + " printed no RESULT line:\n" + output);
    }
}
