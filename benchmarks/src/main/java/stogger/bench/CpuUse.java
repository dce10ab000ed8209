package stogger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a run's CPU went, from Linux's {@code /proc/stat} and this process's own CPU time: how
 * many of the machine's cores were busy during the run, the CPU time per row of this process,
 * and that of every other process (on a machine that runs nothing else: the server and, for a
 * reference, its client). A writer whose rate is bound by the machine's CPU shows all cores busy.
 * {@link #byThread} splits this process's share by thread, from {@code /proc/self/task}: the
 * logging threads apart from the JIT compilers and the garbage collector.
 */
final class CpuUse {

    private static final Path STAT = Path.of("/proc/stat");
    /** Linux's clock ticks per second for {@code /proc/stat} ({@code USER_HZ}), 100 on every common kernel. */
    private static final double TICKS_PER_SECOND = 100;

    private final long startNanos = System.nanoTime();
    private final long busyTicks = busyTicks();
    private final long ownNanos = ownCpuNanos();
    private final Map<String, ThreadTicks> threadTicks = threadTicks();

    /** A thread's name and the CPU ticks it has used. */
    private record ThreadTicks(String name, long ticks) {
    }

    /**
     * Loads and runs once everything {@link #per} and {@link #byThread} use. Call it before the
     * warm-up: classes loaded for the first time right after the warm-up (these use regular
     * expressions, streams and file listings) made the JIT throw away compiled code of the hot
     * path (logged as "made not entrant"), so that the timed run began partly interpreted.
     */
    static void prepare() {
        CpuUse cpu = new CpuUse();
        cpu.per(1);
        cpu.byThread(1);
    }

    /** One line: cores busy, this process's and the other processes' CPU time per row. */
    String per(long rows) {
        double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        double busySeconds = (busyTicks() - busyTicks) / TICKS_PER_SECOND;
        double ownSeconds = (ownCpuNanos() - ownNanos) / 1e9;
        return String.format(Locale.ROOT, "CPU %.2f of %d cores busy; this process %.1f us/row, other processes %.1f"
                + " us/row", busySeconds / wallSeconds, Runtime.getRuntime().availableProcessors(),
                ownSeconds * 1e6 / rows, (busySeconds - ownSeconds) * 1e6 / rows);
    }

    /**
     * One line: this process's CPU time per row by kind of thread (the JVM's thread names with
     * their numbers taken off, such as {@code C2 CompilerThre} or {@code GC Thread}), largest
     * first. A thread that ended during the run is missing, so the parts may add up to less than
     * {@link #per}'s figure.
     */
    String byThread(long rows) {
        Map<String, Long> used = new HashMap<>();
        threadTicks().forEach((tid, now) -> {
            ThreadTicks before = threadTicks.get(tid);
            long ticks = now.ticks() - (before == null ? 0 : before.ticks());
            used.merge(now.name().replaceAll("[#\\-]?\\d+$", ""), ticks, Long::sum);
        });
        return "CPU of this process by thread, us/row: " + used.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / TICKS_PER_SECOND * 1e6
                        / rows))
                .collect(Collectors.joining(", "));
    }

    /** Each thread of this process by id: its name and its user plus system ticks; empty without {@code /proc}. */
    private static Map<String, ThreadTicks> threadTicks() {
        Map<String, ThreadTicks> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // pid (comm) state ...: the name may hold spaces and parentheses, so cut at the last ')'.
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] after = stat.substring(close + 2).trim().split("\\s+");
                    // after[0] is field 3 (state); utime and stime are fields 14 and 15.
                    ticks.put(task.getFileName().toString(), new ThreadTicks(stat.substring(open + 1, close),
                            Long.parseLong(after[11]) + Long.parseLong(after[12])));
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: no split.
        }
        return ticks;
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Ticks all cores spent neither idle nor waiting for I/O since boot; 0 where there is no {@code /proc}. */
    private static long busyTicks() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
