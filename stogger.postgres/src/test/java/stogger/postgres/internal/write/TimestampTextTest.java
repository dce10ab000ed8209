package stogger.postgres.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code timestamp} column's text is exactly {@link Instant#toString()}. */
class TimestampTextTest {

    @Test
    void everyFractionLengthAndTheEdgesOfTheFastRangeMatchInstantToString() {
        for (String at : new String[] {"2026-12-05T08:30:00Z", "2026-12-05T08:30:00.100Z", "2026-12-05T08:30:00.000100Z",
                "2026-12-05T08:30:00.000000100Z", "2026-12-05T08:30:00.123456789Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "1000-01-01T00:00:00Z", "0999-12-31T23:59:59.5Z",
                "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-06-01T12:00:00Z", "2024-02-29T00:00:00Z"}) {
            Instant instant = Instant.parse(at);
            assertEquals(instant.toString(), TimestampText.of(instant), at);
        }
        assertEquals(Instant.MIN.toString(), TimestampText.of(Instant.MIN));
        assertEquals(Instant.MAX.toString(), TimestampText.of(Instant.MAX));
    }

    @Test
    void randomInstantsMatchInstantToString() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 300_000_000_000L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(instant.toString(), TimestampText.of(instant));
        }
    }
}
