package stogger.bench;

import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
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
import org.openjdk.jmh.infra.Blackhole;
import stogger.core.CallerInference;
import stogger.core.PostgresRenderer;

/**
 * Where the caller's time goes in async mode, one stage at a time, with the same call as
 * {@link CallerCostBenchmark} (three fields): {@code dispatch} is JUL alone (the record, the
 * {@code Fields}, the logger and a handler that does nothing); {@code julCaller} adds JUL's own
 * caller inference ({@code getSourceClassName}); {@code stackWalkFloor} instead walks the stack
 * with the smallest {@link StackWalker} walk that finds the caller's class; {@code inferSource}
 * is stogger's {@link CallerInference}; {@code capture} is that plus the rest of what stogger does
 * on the caller's thread but the queue ({@code renderForAnotherThread}); {@code asyncHandler} is
 * the whole handler against a real server, as in {@code CallerCostBenchmark} (and with its fixed,
 * pre-touched heap). In the
 * middle stages the work runs in a lambda inside a handler, two frames deeper than in
 * {@code PostgresHandler.publish}: the walks there need a second batch of frames and cost more
 * than the handler's own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class CallerPathBenchmark extends OneLogCall {

    @Param({"dispatch", "julCaller", "stackWalkFloor", "inferSource", "capture", "asyncHandler"})
    public String stage;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void start() throws Exception {
        Handler handler = switch (stage) {
            case "dispatch" -> new Stage(record -> record.getMessage());
            case "julCaller" -> new Stage(LogRecord::getSourceClassName);
            case "stackWalkFloor" -> new Stage(record -> callerClass());
            case "inferSource" -> new Stage(record -> {
                CallerInference.inferSource(record);
                return record.getSourceClassName();
            });
            case "capture" -> {
                PostgresRenderer renderer = new PostgresRenderer();
                yield new Stage(record -> {
                    CallerInference.inferSource(record);
                    return renderer.renderForAnotherThread(record);
                });
            }
            case "asyncHandler" -> postgresHandler("bench_caller_path", "async");
            default -> throw new IllegalArgumentException("stage: " + stage);
        };
        attach("bench.callerpath." + stage, handler);
    }

    // The first frame below java.util.logging.Logger's own: what any caller inference must find.
    private static String callerClass() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(frame -> !frame.getClassName().equals("java.util.logging.Logger"))
                .dropWhile(frame -> frame.getClassName().equals("java.util.logging.Logger"))
                .findFirst().map(StackWalker.StackFrame::getClassName).orElse(null));
    }

    /** A handler that does one stage's work with each record and keeps the result alive. */
    private static final class Stage extends Handler {
        private final java.util.function.Function<LogRecord, Object> work;
        private final Blackhole sink = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

        Stage(java.util.function.Function<LogRecord, Object> work) {
            this.work = work;
        }

        @Override
        public void publish(LogRecord record) {
            sink.consume(work.apply(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
