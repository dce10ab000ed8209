package stogger.postgres.internal.spool;

import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import stogger.core.PostgresRow;
import stogger.postgres.internal.write.CopyLines;

/** What the spool's tests share: numbered rows, the bytes they take on disk, and a wait with a deadline. */
final class SpoolRows {

    private SpoolRows() {
    }

    /** A row whose {@code seq} field is {@code seq}, its timestamp {@code seq} seconds after a fixed instant. */
    static PostgresRow row(int seq) {
        return new PostgresRow(Instant.ofEpochSecond(1_700_000_000L + seq), "info", "numbered", null, null,
                Json.createObjectBuilder().add("seq", seq).build());
    }

    /** Rows {@code from} to {@code from + count - 1}. */
    static List<PostgresRow> rows(int from, int count) {
        List<PostgresRow> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(row(i));
        }
        return rows;
    }

    /** The bytes these rows take in a segment: each one's frame. */
    static long frames(List<PostgresRow> rows) {
        long n = 0;
        for (PostgresRow row : rows) {
            n += Frame.size(CopyLines.encode(row).length);
        }
        return n;
    }

    /** Waits up to 10 s for the condition; fails naming {@code what}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("still not true after 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
