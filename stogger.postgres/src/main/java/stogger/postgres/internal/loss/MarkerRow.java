package stogger.postgres.internal.loss;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import java.time.Instant;
import java.util.Map;
import stogger.core.PostgresRow;

/**
 * The {@code records-lost} row written after a loss episode, so that the table itself says how
 * much is missing and where: {@code level = 'warning'}, {@code event = 'records-lost'},
 * {@code func} and {@code scope} null, {@code data} with {@code lost}, {@code reason},
 * {@code first}, {@code last} and {@code logger}.
 */
final class MarkerRow {

    static final String EVENT = "records-lost";
    static final String LOGGER = "stogger.postgres";
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private MarkerRow() {
    }

    static PostgresRow of(LossReason reason, long lost, Instant first, Instant last, Instant now) {
        return new PostgresRow(now, "warning", EVENT, null, null, JSON.createObjectBuilder()
                .add("logger", LOGGER)
                .add("lost", lost)
                .add("reason", reason.label())
                .add("first", first.toString())
                .add("last", last.toString())
                .build());
    }
}
