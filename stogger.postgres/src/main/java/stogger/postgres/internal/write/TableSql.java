package stogger.postgres.internal.write;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import stogger.postgres.internal.config.TableName;

/**
 * Every statement on the log table, built from the one column list ({@link Column}): the seed's
 * DDL (the table and its four indexes, named as the Python edition names them) and the three ways
 * rows are written (a single INSERT, {@code INSERT ... unnest}, COPY). The table name is an
 * identifier quoted once, by {@link TableName}; values are always bound or streamed, never spliced.
 */
public final class TableSql {

    /** One of the seed's four indexes: the column it is named after and what follows the table. */
    record Index(Column column, String definition) {
    }

    /** The seed's four indexes, named as the Python edition names them. */
    static final List<Index> INDEXES = List.of(
            new Index(Column.TIMESTAMP, " (" + Column.TIMESTAMP.sqlName() + " DESC)"),
            new Index(Column.LEVEL, " (" + Column.LEVEL.sqlName() + ")"),
            new Index(Column.EVENT, " (" + Column.EVENT.sqlName() + ")"),
            new Index(Column.DATA, " USING GIN (" + Column.DATA.sqlName() + ")"));

    private final TableName table;

    TableSql(TableName table) {
        this.table = table;
    }

    /** The seed's table definition: {@code id} and the {@link Column}s. */
    String createTable() {
        return createTable(table);
    }

    static String createTable(TableName name) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name.quoted())
                .append(" (id BIGSERIAL PRIMARY KEY");
        for (Column column : Column.values()) {
            sql.append(", ").append(column.sqlName()).append(' ').append(column.definition());
        }
        return sql.append(')').toString();
    }

    /** The seed's four indexes, named as the Python edition names them. */
    List<String> createIndexes() {
        List<String> statements = new ArrayList<>();
        for (Index index : INDEXES) {
            statements.add(createIndex(table, index));
        }
        return List.copyOf(statements);
    }

    static String createIndex(TableName on, Index index) {
        // The index name does not depend on the schema: an index lives in its table's schema.
        return "CREATE INDEX IF NOT EXISTS " + on.quotedIndex(index.column().sqlName()) + " ON " + on.quoted()
                + index.definition();
    }

    /** The single-row INSERT; its parameters are the {@link Column}s' values as text. */
    String insert() {
        StringJoiner values = new StringJoiner(", ");
        for (Column column : Column.values()) {
            values.add(column.fromText("?"));
        }
        return "INSERT INTO " + table.quoted() + " (" + Column.names() + ") VALUES (" + values + ")";
    }

    /**
     * The batch INSERT of the asynchronous writer: one text array per {@link Column}, unnested in
     * array order.
     */
    String batchInsert() {
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner selected = new StringJoiner(", ");
        StringJoiner aliases = new StringJoiner(", ");
        for (Column column : Column.values()) {
            arrays.add("?::text[]");
            selected.add(column.fromText("u_" + column.sqlName()));
            aliases.add("u_" + column.sqlName());
        }
        return "INSERT INTO " + table.quoted() + " (" + Column.names() + ") SELECT " + selected + " FROM unnest("
                + arrays + ") WITH ORDINALITY AS u(" + aliases + ", ord) ORDER BY ord";
    }

    /** The COPY of the asynchronous writer, in COPY's text format. */
    String copy() {
        return "COPY " + table.quoted() + " (" + Column.names() + ") FROM STDIN";
    }
}
