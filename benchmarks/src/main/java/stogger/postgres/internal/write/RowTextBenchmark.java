package stogger.postgres.internal.write;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import stogger.core.Fields;
import stogger.core.PostgresRenderer;
import stogger.core.PostgresRow;

/**
 * The text of one rendered row's columns, as the handler binds them ({@link RowEncoder#encode}),
 * beside the same text from the JDK's and the JSON-P implementation's own {@code toString()}
 * ({@code Instant.toString()} and {@code JsonObject.toString()}), which the handler used before
 * {@link TimestampText} and {@link JsonText}. The row is the sync benchmarks' {@code Fields}
 * record with a scope. In this package, on the class path, only to reach the package's encoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RowTextBenchmark {

    private PostgresRow row;

    @Setup
    public void render() {
        LogRecord record = new LogRecord(Level.INFO, "order-processed");
        record.setLoggerName("bench.orders");
        record.setSourceClassName("stogger.bench.JulApp");
        record.setSourceMethodName("orderProcessed");
        record.setParameters(new Object[] {Fields.of("order_id", 12345, "amount", 9.99, "customer", "c-42")});
        row = new PostgresRenderer().render(record);
    }

    /** What the handler binds now. */
    @Benchmark
    public String[] columnText() {
        return RowEncoder.encode(row);
    }

    /** The same values through the general-purpose {@code toString()} of the JDK and JSON-P. */
    @Benchmark
    public String[] columnTextByToString() {
        return new String[] {row.timestamp().toString(), row.level(), row.event(), row.func(), row.scope(),
                row.data().toString()};
    }
}
