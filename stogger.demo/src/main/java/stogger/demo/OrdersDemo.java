package stogger.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.InitResult;
import stogger.core.Stogger;
import stogger.core.StoggerConfig;
import stogger.postgres.PostgresHandler;

/**
 * The main job: processes a few hundred orders with stogger logging to the console and to
 * PostgreSQL, then shows what landed with SQL.
 *
 * <p>Run: {@code mvn -B -q -pl stogger.demo -am install exec:java -DskipTests}. Without
 * configuration it starts an embedded PostgreSQL; {@code -Dstogger.demo.dsn=...} or
 * {@code STOGGER_DEMO_DSN} points it at a server of yours.
 */
public final class OrdersDemo {

    static final String TABLE = "stogger_demo_logs";
    static final int ORDERS = 300;

    private OrdersDemo() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        try (DemoDatabase database = DemoDatabase.open()) {
            Logger root = Logger.getLogger("");
            root.setLevel(Level.FINE);
            InitResult result = Stogger.init(new StoggerConfig(true, database.dsn(), TABLE,
                    System.getenv(StoggerConfig.PASSWORD_VARIABLE)));
            for (Handler handler : root.getHandlers()) {
                if (handler instanceof ConsoleHandler) {
                    // The console shows warnings and errors; every record goes to PostgreSQL.
                    handler.setLevel(Level.WARNING);
                }
            }
            System.out.println("stogger targets: " + result.activeTargets()
                    + (result.skippedTargets().isEmpty() ? "" : ", skipped: " + result.skippedTargets()));
            if (!result.isActive("postgres")) {
                System.out.println("PostgreSQL is not active; see the line above. Stopping.");
                return;
            }
            try (Connection connection = connect(database.dsn())) {
                clearPreviousRun(connection);
                processOrders();
                PostgresHandler handler = postgresHandler(root);
                System.out.println("PostgresHandler: " + handler.stats());
                report(connection);
            } finally {
                Stogger.shutdown();
            }
        }
        System.out.printf("%nDone in %.1f s.%n", (System.nanoTime() - started) / 1e9);
    }

    private static void processOrders() {
        OrderProcessor processor = new OrderProcessor();
        Logger log = Logger.getLogger("shop.orders");
        System.out.println("Processing " + ORDERS + " orders (console: warnings and errors only)...");
        for (int id = 1; id <= ORDERS; id++) {
            try {
                processor.process(id);
            } catch (OrderProcessor.PaymentException e) {
                log.log(Level.SEVERE, "order-failed", e);
            }
            if (id % 50 == 0) {
                System.out.println("  processed " + id + "/" + ORDERS + " orders");
            }
        }
    }

    private static PostgresHandler postgresHandler(Logger root) {
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof PostgresHandler postgres) {
                return postgres;
            }
        }
        throw new IllegalStateException("no PostgresHandler on the root logger");
    }

    private static Connection connect(String dsn) throws Exception {
        // The demo reuses the handler's DSN parsing so that every DSN form works here too.
        stogger.postgres.internal.config.ConnectionTarget target = stogger.postgres.internal.config.Dsn.parse(dsn,
                System.getenv(StoggerConfig.PASSWORD_VARIABLE), "dsn");
        Properties properties = target.copyOfProperties();
        return DriverManager.getConnection(target.jdbcUrl(), properties);
    }

    private static void clearPreviousRun(Connection connection) throws Exception {
        try (var statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + TABLE);
        }
    }

    private static void report(Connection connection) throws Exception {
        SqlReport report = new SqlReport(connection, System.out);
        report.print("Rows by level and event",
                "SELECT level, event, count(*) AS rows FROM " + TABLE + " GROUP BY level, event ORDER BY rows DESC, event");
        report.print("Slowest scopes (from scope-end rows)",
                "SELECT scope, count(*) AS runs, round(avg((data->>'duration_ms')::numeric), 2) AS avg_ms,"
                        + " max((data->>'duration_ms')::numeric) AS max_ms FROM " + TABLE
                        + " WHERE event = 'scope-end' GROUP BY scope ORDER BY max_ms DESC");
        report.print("The failed payment, with its exception",
                "SELECT timestamp, scope, data->>'order_id' AS order_id, data->'exception'->>'type' AS exception,"
                        + " data->'exception'->>'message' AS message,"
                        + " data->'exception'->'causes'->0->>'type' AS cause FROM " + TABLE
                        + " WHERE event = 'scope-failed'");
        report.print("Warnings per customer (a JSON field)",
                "SELECT data->>'customer' AS customer, count(*) AS low_stock FROM " + TABLE
                        + " WHERE level = 'warning' AND event = 'low-stock' GROUP BY 1 ORDER BY 2 DESC");
    }
}
