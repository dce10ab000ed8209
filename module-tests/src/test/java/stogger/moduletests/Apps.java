package stogger.moduletests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The packaged jars (paths set by the build) and the small test applications under
 * {@code src/test/apps}, compiled against those jars and run in child JVMs.
 */
final class Apps {

    /** What a child JVM did. */
    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private Apps() {
    }

    static Path jar(String name) {
        String path = System.getProperty("jar." + name);
        if (path == null || path.startsWith("${")) {
            throw new IllegalStateException("jar." + name + " is not set; run the tests through Maven");
        }
        return Path.of(path);
    }

    /** The library's jars: stogger.core, stogger.postgres and their runtime dependencies. */
    static List<Path> libraryJars() {
        return List.of(jar("stogger.core"), jar("stogger.postgres"), jar("jakarta.json"), jar("parsson"),
                jar("postgresql"));
    }

    /** The library without stogger.postgres and the driver. */
    static List<Path> coreJars() {
        return List.of(jar("stogger.core"), jar("jakarta.json"), jar("parsson"));
    }

    static String path(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** Compiles one application module against the jars into a fresh directory. */
    static Path compile(String module) {
        try {
            Path source = Path.of(System.getProperty("apps.dir"), module);
            Path out = Files.createTempDirectory("app-" + module);
            List<String> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
            }
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(), "--module-path",
                    path(libraryJars())));
            args.addAll(files);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("javac failed for " + module);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a logging.properties file. */
    static Path loggingProperties(Map<String, String> entries) {
        try {
            Path file = Files.createTempFile("logging", ".properties");
            List<String> lines = entries.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList();
            Files.write(file, lines, StandardCharsets.ISO_8859_1);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command, waiting at most a minute. */
    static Run run(List<String> command) {
        return run(command, Map.of());
    }

    /** Runs a command with extra environment variables, waiting at most a minute. */
    static Run run(List<String> command, Map<String, String> environment) {
        return runTogether(List.of(command), environment).get(0);
    }

    /** Starts all commands at once and waits for each, at most a minute in all. */
    static List<Run> runTogether(List<List<String>> commands, Map<String, String> environment) {
        try {
            List<Process> processes = new ArrayList<>();
            List<Path[]> outputs = new ArrayList<>();
            for (List<String> command : commands) {
                Path out = Files.createTempFile("child", ".out");
                Path err = Files.createTempFile("child", ".err");
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(environment);
                processes.add(builder.start());
                outputs.add(new Path[] {out, err});
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    processes.forEach(Process::destroyForcibly);
                    throw new AssertionError("timed out: " + commands.get(i) + "\n" + Files.readString(outputs.get(i)[1]));
                }
                runs.add(new Run(process.exitValue(), Files.readString(outputs.get(i)[0]),
                        Files.readString(outputs.get(i)[1])));
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
