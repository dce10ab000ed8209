package stogger.bench;

/** Runs the JMH benchmarks of this module: {@code -Dbench=Jmh}, with JMH's own arguments after it. */
public final class Jmh {

    private Jmh() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length == 0 ? new String[] {"CallerCostBenchmark"} : args);
    }
}
