package stogger.postgres.internal.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import stogger.postgres.internal.config.Dsn;
import stogger.postgres.internal.config.ConnectionTarget;

/** One line per change of state, reminders and statement failures rate-limited, secrets masked. */
class FailureReporterTest {

    private final List<String> lines = new ArrayList<>();
    private long lost;
    private long now = 1_000_000_000L;
    private final ConnectionTarget target = Dsn.parse("postgresql://app:s3cr3t@db:5432/logs", null, "dsn");
    private final FailureReporter reporter = new FailureReporter((message, e, code) -> lines.add(message), target,
            () -> lost, () -> "records are dropped and counted until it is reachable", () -> now);

    private void advanceSeconds(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void anOutageIsReportedOnceThenRemindedEveryMinuteThenItsEnd() {
        reporter.connectFailed(new SQLException("Connection to db:5432 refused (password s3cr3t)", "08001"), 1000);
        for (int i = 0; i < 30; i++) {
            advanceSeconds(1);
            lost += 10;
            reporter.connectFailed(new SQLException("refused", "08001"), 2000);
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("cannot write to postgresql://app@db:5432/logs"), lines.get(0));
        assertFalse(lines.get(0).contains("s3cr3t"), lines.get(0));
        assertTrue(lines.get(0).contains("[SQLState 08001]"), lines.get(0));

        advanceSeconds(30);
        reporter.connectFailed(new ConnectException("refused"), 4000);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("after 32 attempts in 60.0 s; 300 records lost meanwhile"), lines.get(1));

        advanceSeconds(5);
        reporter.connected();
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("again after 65.0 s and 32 attempts; 300 records were lost meanwhile"),
                lines.get(2));
        reporter.connected();
        assertEquals(3, lines.size(), "staying connected is not news");
    }

    @Test
    void lostConnectionsAreRateLimitedWithTheCountOfThoseNotShown() {
        for (int i = 0; i < 5; i++) {
            reporter.connectionLost(new SQLException("terminating connection\nDETAIL: admin", "57P01"));
            advanceSeconds(1);
        }
        assertEquals(1, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("\n"), "one line: " + lines.get(0));
        assertTrue(lines.get(0).startsWith("lost the connection to postgresql://app@db:5432/logs"), lines.get(0));
        advanceSeconds(10);
        reporter.connectionLost(new SQLException("terminating connection", "57P01"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).endsWith("reconnecting (4 more times since the last such line)"), lines.get(1));
        assertTrue(reporter.lastError().contains("terminating connection [SQLState 57P01]"), reporter.lastError());
    }

    @Test
    void longServerDetailsAreCut() {
        reporter.connectionLost(new SQLException("x".repeat(10_000), "08006"));
        assertTrue(lines.get(0).length() < 1_000, lines.get(0).length() + " chars");
    }
}
