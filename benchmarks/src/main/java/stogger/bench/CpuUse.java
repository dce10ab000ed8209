package stogger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a run's CPU went, from Linux's {@code /proc/stat} and this process's own CPU time: how
 * many of the machine's cores were busy during the run, the CPU time per row of this process,
 * and that of every other process (on a machine that runs nothing else: the server and, for a
 * reference, its client). A writer whose rate is bound by the machine's CPU shows all cores busy.
 */
final class CpuUse {

    private static final Path STAT = Path.of("/proc/stat");
    /** Linux's clock ticks per second for {@code /proc/stat} ({@code USER_HZ}), 100 on every common kernel. */
    private static final double TICKS_PER_SECOND = 100;

    private final long startNanos = System.nanoTime();
    private final long busyTicks = busyTicks();
    private final long ownNanos = ownCpuNanos();

    /** One line: cores busy, this process's and the other processes' CPU time per row. */
    String per(long rows) {
        double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        double busySeconds = (busyTicks() - busyTicks) / TICKS_PER_SECOND;
        double ownSeconds = (ownCpuNanos() - ownNanos) / 1e9;
        return String.format(Locale.ROOT, "CPU %.2f of %d cores busy; this process %.1f us/row, other processes %.1f"
                + " us/row", busySeconds / wallSeconds, Runtime.getRuntime().availableProcessors(),
                ownSeconds * 1e6 / rows, (busySeconds - ownSeconds) * 1e6 / rows);
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
