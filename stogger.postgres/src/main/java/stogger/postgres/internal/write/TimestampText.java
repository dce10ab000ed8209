package stogger.postgres.internal.write;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text of the {@code timestamp} column: exactly {@link Instant#toString()}, written without
 * the general {@code DateTimeFormatter} machinery behind it, which cost about as much as the rest
 * of the row's plain columns together. Years outside 1000–9999 (which need a sign or padding)
 * are left to {@link Instant#toString()}.
 */
final class TimestampText {

    /** 1000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
    private static final long FIRST_SECOND = -30_610_224_000L;
    private static final long END_SECOND = 253_402_300_800L;

    private TimestampText() {
    }

    /** {@code instant.toString()}: {@code 2026-12-05T08:30:00.123456Z}. */
    static String of(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
            return instant.toString();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(30);
        text.append(time.getYear()).append('-');
        twoDigits(text, time.getMonthValue()).append('-');
        twoDigits(text, time.getDayOfMonth()).append('T');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        twoDigits(text, time.getSecond());
        fraction(text, instant.getNano());
        return text.append('Z').toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** As {@code Instant.toString()}: none for whole seconds, else 3, 6 or 9 digits. */
    private static void fraction(StringBuilder text, int nanos) {
        if (nanos == 0) {
            return;
        }
        int digits;
        int value;
        if (nanos % 1_000_000 == 0) {
            digits = 3;
            value = nanos / 1_000_000;
        } else if (nanos % 1_000 == 0) {
            digits = 6;
            value = nanos / 1_000;
        } else {
            digits = 9;
            value = nanos;
        }
        text.append('.');
        String number = Integer.toString(value);
        for (int i = number.length(); i < digits; i++) {
            text.append('0');
        }
        text.append(number);
    }
}
