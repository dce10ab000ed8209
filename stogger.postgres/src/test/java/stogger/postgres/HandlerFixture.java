package stogger.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One test's table and logger: a unique table on the test database, a logger of its own that
 * does not pass records to the root, and the handlers to close and the table to drop afterwards.
 */
final class HandlerFixture implements AutoCloseable {

    final TestDatabase db = TestDatabase.get();
    final String table = TestDatabase.uniqueTable();
    final Logger logger = Logger.getLogger("stogger.test." + table);
    private final List<PostgresHandler> handlers = new ArrayList<>();

    HandlerFixture() {
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
    }

    /** Builds a handler, attaches it to the logger and closes it after the test. */
    PostgresHandler attach(PostgresSettings.Builder settings) {
        return attach(new PostgresHandler(settings.build()));
    }

    /** Attaches a handler to the logger and closes it after the test. */
    PostgresHandler attach(PostgresHandler handler) {
        logger.addHandler(keep(handler));
        return handler;
    }

    /** Closes the handler after the test. */
    PostgresHandler keep(PostgresHandler handler) {
        handlers.add(handler);
        return handler;
    }

    /**
     * Settings for a handler that spools to {@code directory} and reaches the database through
     * {@code proxy}, retrying fast so that a test sees the outage end soon.
     */
    PostgresSettings.Builder spoolingThrough(TcpProxy proxy, java.nio.file.Path directory) throws Exception {
        return PostgresSettings.builder().dsn(db.dsnAt("127.0.0.1", proxy.port())).table(table)
                .spoolDirectory(directory.toString()).retryInitialMs(100).retryMaxMs(500);
    }

    /** Drops the spool's progress table, which the handler creates beside the log table. */
    void dropProgressTable() throws Exception {
        db.execute("DROP TABLE IF EXISTS " + table + "_spool");
    }

    /** The rows of records that carry a {@code seq} field. */
    long seqRows() throws Exception {
        return Long.parseLong(db.value("SELECT count(*) FROM " + table + " WHERE data ? 'seq'"));
    }

    /** How many different {@code seq} values the table holds: {@link #seqRows()} less the duplicates. */
    long distinctSeqs() throws Exception {
        return Long.parseLong(db.value("SELECT count(DISTINCT data->>'seq') FROM " + table + " WHERE data ? 'seq'"));
    }

    /** The records the table's marker rows say were lost for this reason. */
    long lostInMarkers(String reason) throws Exception {
        return Long.parseLong(db.value("SELECT coalesce(sum((data->>'lost')::bigint), 0) FROM " + table
                + " WHERE event = 'records-lost' AND data->>'reason' = '" + reason + "'"));
    }

    @Override
    public void close() throws Exception {
        for (PostgresHandler handler : handlers) {
            logger.removeHandler(handler);
            handler.close();
        }
        db.drop(table);
    }
}
