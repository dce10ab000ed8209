package stogger.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** The pooled connections Log4j2's JDBC appender takes (its ConnectionFactory). */
public final class Log4jConnections {

    private static HikariDataSource pool;

    private Log4jConnections() {
    }

    static synchronized void open(String jdbcUrl, String user) {
        HikariConfig config = new HikariConfig();
        // stringtype=unspecified lets the appender's text reach the jsonb column.
        config.setJdbcUrl(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "stringtype=unspecified");
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
    }

    static synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /**
     * A connection from the pool.
     *
     * @return a pooled connection
     * @throws SQLException when the pool cannot provide one
     */
    public static Connection get() throws SQLException {
        return pool.getConnection();
    }
}
