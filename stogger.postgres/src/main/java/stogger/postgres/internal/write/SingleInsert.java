package stogger.postgres.internal.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import stogger.core.PostgresRow;

/**
 * The single-row INSERT, prepared once per connection: what sync mode writes each record with,
 * and what async mode falls back to for a batch that one of its rows spoiled. Not thread-safe.
 */
final class SingleInsert {

    private final String sql;
    private Connection preparedOn;
    private PreparedStatement statement;

    SingleInsert(Schema schema) {
        this.sql = schema.sql().insert();
    }

    /** Inserts one row in autocommit, or throws leaving it unwritten. */
    void write(Connection connection, PostgresRow row) throws SQLException {
        if (connection != preparedOn) {
            // The statement of a replaced connection went with it.
            statement = connection.prepareStatement(sql);
            preparedOn = connection;
        }
        String[] values = RowEncoder.encode(row);
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
        statement.executeUpdate();
    }
}
