package stogger.core;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One log record as a row of the stogger table, produced by {@link PostgresRenderer}.
 *
 * <p>The strings are already safe for PostgreSQL (no U+0000, no lone surrogates, bounded
 * length).
 *
 * @param timestamp when the record was created; the {@code timestamp} column
 * @param level the stogger level name ({@code error}, {@code warning}, {@code info},
 *     {@code debug}, or another level's lowercase name); never null
 * @param event the event name (the raw message pattern or bundle key); never null
 * @param func the function that logged, or null when unknown
 * @param scope the innermost scope, or null outside any scope
 * @param data everything else, as the {@code data} JSONB object; never null
 */
public record PostgresRow(Instant timestamp, String level, String event, String func, String scope,
        JsonObject data) {
}
