package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The limits of a table name (PostgreSQL's 63-character identifiers) and the index names derived
 * from it: {@code idx_<table>_<column>} as the Python edition names them while that fits in an
 * identifier, and a name that still fits, stays distinct per table and column, and ends in the
 * column when it does not.
 */
class TableNameLimitsTest {

    private static final int MAX_IDENTIFIER = 63;
    private static final List<String> COLUMNS = List.of("timestamp", "level", "event", "data");

    private static String unquoted(String quoted) {
        assertTrue(quoted.startsWith("\"") && quoted.endsWith("\""), quoted);
        return quoted.substring(1, quoted.length() - 1);
    }

    @Test
    void anIndexNameOfExactly63CharactersIsThePythonEditionsName() {
        for (String column : COLUMNS) {
            String table = "t".repeat(MAX_IDENTIFIER - "idx_".length() - 1 - column.length());
            String expected = "idx_" + table + "_" + column;
            assertEquals(MAX_IDENTIFIER, expected.length());
            assertEquals("\"" + expected + "\"", TableName.parse(table, "k").quotedIndex(column));
        }
    }

    @Test
    void oneCharacterMoreGivesAShortenedNameThatStillEndsInTheColumn() {
        for (String column : COLUMNS) {
            String table = "t".repeat(MAX_IDENTIFIER - "idx_".length() - column.length());
            String name = unquoted(TableName.parse(table, "k").quotedIndex(column));
            assertTrue(name.length() <= MAX_IDENTIFIER, name);
            assertTrue(name.startsWith("idx_t"), name);
            assertTrue(name.endsWith("_" + column), name);
            assertNotEquals("idx_" + table + "_" + column, name);
        }
    }

    @Test
    void longTablesSharingAPrefixGetIndexNamesOfTheirOwn() {
        String prefix = "events_of_the_shop_service_in_the_eu_west_region_";
        Set<String> names = new HashSet<>();
        for (String suffix : new String[] {"a", "b", "aa", "ab"}) {
            TableName table = TableName.parse(prefix + suffix + "_" + "x".repeat(MAX_IDENTIFIER - prefix.length()
                    - suffix.length() - 1), "k");
            for (String column : COLUMNS) {
                String name = unquoted(table.quotedIndex(column));
                assertTrue(name.length() <= MAX_IDENTIFIER, name);
                assertTrue(names.add(name), "a second index named " + name);
            }
        }
        assertEquals(16, names.size());
    }

    @Test
    void theIndexNameIsTheSameForTheSameTableAndIgnoresItsSchema() {
        String table = "z".repeat(MAX_IDENTIFIER);
        assertEquals(TableName.parse(table, "k").quotedIndex("level"), TableName.parse(table, "k").quotedIndex("level"));
        assertEquals(TableName.parse(table, "k").quotedIndex("level"),
                TableName.parse("logs." + table, "k").quotedIndex("level"));
        assertEquals("\"idx_events_level\"", TableName.parse("logs.events", "k").quotedIndex("level"));
    }

    @Test
    void eachPartMayHave63CharactersAndNotOneMore() {
        String longest = "s" + "_1".repeat(31);
        assertEquals(MAX_IDENTIFIER, longest.length());
        TableName name = TableName.parse(longest + "." + longest, "k");
        assertEquals(longest, name.schema());
        assertEquals("\"" + longest + "\".\"" + longest + "\"", name.quoted());
        for (String bad : new String[] {longest + "x." + "t", "s." + longest + "x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableName.parse(bad, "k"));
            assertTrue(e.getMessage().contains("at most 63 characters"), e.getMessage());
        }
    }

    @Test
    void caseIsKeptAndSurroundingSpacesAreIgnored() {
        TableName name = TableName.parse("  Logs.AppEvents ", "k");
        assertEquals("\"Logs\".\"AppEvents\"", name.quoted());
        assertEquals("\"Logs\"", name.quotedSchema());
        assertEquals("Logs.AppEvents", name.toString());
        assertEquals("\"_x1\"", TableName.parse("_x1", "k").quoted());
    }

    @Test
    void anUnqualifiedNameHasNoSchema() {
        TableName name = TableName.parse("stogger_logs", "k");
        assertNull(name.schema());
        assertEquals("stogger_logs", name.toString());
    }

    @Test
    void aMissingNameIsRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableName.parse(null, "stogger.postgres_table"));
        assertTrue(e.getMessage().startsWith("invalid table name 'null' (stogger.postgres_table)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableName.parse(".events", "k"));
        assertThrows(IllegalArgumentException.class, () -> TableName.parse("  ", "k"));
    }
}
