package stogger.postgres.internal.connection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens a JDBC connection: {@link DriverManager} in production, a stand-in in tests. */
@FunctionalInterface
public interface Connector {

    Connection connect(String url, Properties properties) throws SQLException;

    /** The driver found by {@link DriverManager} (pgjdbc on the module path or class path). */
    static Connector driverManager() {
        return DriverManager::getConnection;
    }
}
