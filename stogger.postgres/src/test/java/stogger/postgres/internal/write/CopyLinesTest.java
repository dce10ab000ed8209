package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;

/**
 * A spooled row's COPY text line: what the {@code INSERT ... unnest} fallback decodes from it is
 * exactly what the single-row INSERT binds for the same row.
 */
class CopyLinesTest {

    private static final Instant AT = Instant.parse("2026-12-03T21:00:00.123456Z");

    @Test
    void aLineDecodesToTheColumnValuesOfItsRowWhateverItsTextHolds() {
        PostgresRow row = new PostgresRow(AT, "info", "tab\there, newline\nthere, return\rand a back\\slash \u00e9\u4e2d",
                null, "scope\\N", Json.createObjectBuilder().add("k", "v\t\\\n").build());
        List<String> decoded = CopyLines.decode(CopyLines.encode(row));
        assertEquals(Arrays.asList(RowEncoder.encode(row)), decoded);
        assertNull(decoded.get(Column.FUNC.ordinal()), "a null column stays null, not the text \\N");
        assertEquals("scope\\N", decoded.get(Column.SCOPE.ordinal()));
    }

    @Test
    void aLineOfEmptyAndNullFieldsKeepsEveryField() {
        PostgresRow row = new PostgresRow(AT, "", "", null, null, Json.createObjectBuilder().build());
        assertEquals(Arrays.asList(RowEncoder.encode(row)), CopyLines.decode(CopyLines.encode(row)));
    }

    @Test
    void theTimestampIsReadFromTheLineAndAnUnreadableOneIsNull() {
        PostgresRow row = new PostgresRow(AT, "info", "e", null, null, Json.createObjectBuilder().build());
        assertEquals(AT, CopyLines.timestamp(CopyLines.encode(row)));
        assertNull(CopyLines.timestamp("not a time\tinfo\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(CopyLines.timestamp("no tab at all".getBytes(StandardCharsets.UTF_8)));
    }
}
