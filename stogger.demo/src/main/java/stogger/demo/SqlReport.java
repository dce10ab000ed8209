package stogger.demo;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Runs a few SQL queries over the log table and prints each query with its result. */
final class SqlReport {

    private final Connection connection;
    private final PrintStream out;

    SqlReport(Connection connection, PrintStream out) {
        this.connection = connection;
        this.out = out;
    }

    void print(String title, String sql) throws SQLException {
        out.println();
        out.println("== " + title);
        out.println(sql);
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            List<String[]> table = new ArrayList<>();
            String[] header = new String[columns];
            for (int c = 0; c < columns; c++) {
                header[c] = meta.getColumnLabel(c + 1);
            }
            table.add(header);
            while (rows.next()) {
                String[] row = new String[columns];
                for (int c = 0; c < columns; c++) {
                    String value = rows.getString(c + 1);
                    row[c] = value == null ? "" : value;
                }
                table.add(row);
            }
            int[] widths = new int[columns];
            for (String[] row : table) {
                for (int c = 0; c < columns; c++) {
                    widths[c] = Math.min(60, Math.max(widths[c], row[c].length()));
                }
            }
            for (int r = 0; r < table.size(); r++) {
                StringBuilder line = new StringBuilder("  ");
                for (int c = 0; c < columns; c++) {
                    String cell = table.get(r)[c];
                    cell = cell.length() > 60 ? cell.substring(0, 57) + "..." : cell;
                    line.append(String.format("%-" + widths[c] + "s", cell)).append(c + 1 < columns ? " | " : "");
                }
                out.println(line.toString().stripTrailing());
                if (r == 0) {
                    out.println("  " + "-".repeat(line.length() - 2));
                }
            }
        }
    }
}
