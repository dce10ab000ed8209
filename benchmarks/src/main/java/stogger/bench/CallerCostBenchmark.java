package stogger.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code Logger.log} call costs the calling thread, with the handler in sync and in
 * async mode, against a real server (sample time: median and percentiles). In async mode the
 * queue is drained between iterations (outside the measurement) and made large enough that no
 * record is dropped, so the figure is the cost of rendering and enqueuing, not of dropping.
 *
 * <p>The heap is fixed and touched up front ({@code -Xms3g -Xmx3g -XX:+AlwaysPreTouch}), as a
 * latency-minded service runs: the async writer falls behind a caller that does nothing but log,
 * its queue grows by hundreds of thousands of rows per iteration, and a heap still growing to hold
 * them makes the allocating thread take a page fault on each first touch of new memory, which
 * then dominates p90 and p99 (run with {@code -jvmArgsAppend -Xmx3g} to see it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class CallerCostBenchmark extends OneLogCall {

    @Param({"sync", "async"})
    public String mode;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void start() throws Exception {
        attach("bench.caller." + mode, postgresHandler("bench_caller_" + mode, mode));
    }
}
