package stogger.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * Where the demo logs: the server named by {@code -Dstogger.demo.dsn} or
 * {@code STOGGER_DEMO_DSN}, otherwise an embedded PostgreSQL started for this run.
 */
final class DemoDatabase implements AutoCloseable {

    static final String DSN_PROPERTY = "stogger.demo.dsn";
    static final String DSN_VARIABLE = "STOGGER_DEMO_DSN";

    private final String dsn;
    private final EmbeddedPostgres embedded;

    private DemoDatabase(String dsn, EmbeddedPostgres embedded) {
        this.dsn = dsn;
        this.embedded = embedded;
    }

    static DemoDatabase open() throws IOException {
        String configured = System.getProperty(DSN_PROPERTY, System.getenv(DSN_VARIABLE));
        if (configured != null && !configured.isBlank()) {
            System.out.println("Using the PostgreSQL server from " + (System.getProperty(DSN_PROPERTY) != null
                    ? "-D" + DSN_PROPERTY : DSN_VARIABLE) + ".");
            return new DemoDatabase(configured.trim(), null);
        }
        System.out.println("No DSN given (-D" + DSN_PROPERTY + " or " + DSN_VARIABLE
                + "): starting an embedded PostgreSQL for this run...");
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        System.out.println("Embedded PostgreSQL is listening on 127.0.0.1:" + server.getPort() + ".");
        return new DemoDatabase("postgresql://postgres@127.0.0.1:" + server.getPort() + "/postgres", server);
    }

    String dsn() {
        return dsn;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
