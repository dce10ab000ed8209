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
    // Far from zero, as System.nanoTime() usually is, so that a sum in place of a difference shows.
    private long now = TimeUnit.HOURS.toNanos(5);
    private final ConnectionTarget target = Dsn.parse("postgresql://app:s3cr3t@db:5432/logs", null, "dsn");
    private final FailureReporter reporter = new FailureReporter((message, e, code) -> lines.add(message), target,
            () -> lost, () -> "records are dropped and counted until it is reachable", () -> now);

    private void advanceSeconds(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void anOutageIsReportedOnceThenRemindedEveryMinuteThenItsEnd() {
        lost = 50; // lost before the outage: not counted as lost meanwhile
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

    @Test
    void aLostConnectionExactlyTenSecondsAfterTheLastLineIsToldAgain() {
        reporter.connectionLost(new SQLException("terminating connection", "57P01"));
        advanceSeconds(10);
        reporter.connectionLost(new SQLException("terminating connection", "57P01"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).endsWith("; reconnecting"), "none suppressed in between: " + lines.get(1));
    }

    @Test
    void aRefusalEpisodeIsToldAtOnceAtMostEveryTenSecondsWithItsCountAndEndsWithOneLine() {
        reporter.refused(new SQLException("could not extend file: No space left on device", "53100"));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("the server refuses writes for now: "), lines.get(0));
        assertTrue(lines.get(0).contains("No space left on device [SQLState 53100]; 1 refusals in 0.0 s; records are"
                + " dropped and counted meanwhile, retrying with backoff"), lines.get(0));
        reporter.whileRefused(() -> "rows go to the spool meanwhile");
        for (int i = 0; i < 9; i++) {
            advanceSeconds(1);
            reporter.refused(new SQLException("could not extend file", "53100"));
        }
        assertEquals(1, lines.size(), "nine more within ten seconds: no line");
        advanceSeconds(1);
        reporter.refused(new SQLException("could not extend file", "53100"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("; 11 refusals in 10.0 s; rows go to the spool meanwhile"), lines.get(1));
        assertTrue(reporter.lastError().contains("could not extend file [SQLState 53100]"), reporter.lastError());

        advanceSeconds(2);
        reporter.accepted();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("the server accepts writes again after 12.0 s and 11 refusals", lines.get(2));
        reporter.accepted();
        assertEquals(3, lines.size(), "accepting again is not news");

        advanceSeconds(1);
        reporter.refused(new SQLException("read-only transaction", "25006"));
        assertEquals(4, lines.size(), "a new episode is told at once: " + lines);
        assertTrue(lines.get(3).contains("; 1 refusals in 0.0 s;"), lines.get(3));
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsToldEachTimeAndRemembered() {
        reporter.outcomeUnknown(new SQLException("Read timed out", "08006"));
        reporter.outcomeUnknown(new SQLException("Read timed out", "08006"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("a write to postgresql://app@db:5432/logs timed out on the client"
                + " (socketTimeoutMs) and may still commit; it is not retried"), lines.get(0));
        assertTrue(reporter.lastError().contains("Read timed out [SQLState 08006]"), reporter.lastError());
    }

    @Test
    void aFailedConnectionAttemptIsRememberedAndAWholeMessageIsShownUncutButMasked() {
        String ddl = "run as an owner: CREATE TABLE x (" + "c TEXT, ".repeat(100) + "d TEXT) -- s3cr3t";
        reporter.connectFailed(new SQLException(ddl, "42501"), 1000, true);
        assertTrue(lines.get(0).contains("c TEXT, ".repeat(100) + "d TEXT)"), "uncut: " + lines.get(0));
        assertFalse(lines.get(0).contains("s3cr3t"), lines.get(0));
        assertTrue(reporter.lastError().contains("run as an owner"), reporter.lastError());
    }

    @Test
    void otherReportsAreMaskedAndNameTheirCauseOnlyWhenThereIsOne() {
        reporter.other("closing postgresql://app:s3cr3t@db:5432/logs failed", null, 0);
        reporter.other("flush failed", new SQLException("password s3cr3t rejected", "28P01"), 0);
        assertEquals(2, lines.size(), lines.toString());
        assertFalse(String.join("\n", lines).contains("s3cr3t"), lines.toString());
        assertTrue(lines.get(0).startsWith("closing postgresql://app") && lines.get(0).endsWith("@db:5432/logs failed"),
                "no cause appended: " + lines.get(0));
        assertTrue(lines.get(1).startsWith("flush failed: SQLException: password ")
                && lines.get(1).endsWith(" rejected [SQLState 28P01]"), lines.get(1));
    }

    @Test
    void aDescriptionOfExactlyTheLimitIsKeptWholeAndOneCharMoreIsCut() {
        int prefix = "SQLException: ".length();
        String atLimit = reporter.describe(new SQLException("x".repeat(FailureReporter.MAX_DESCRIPTION - prefix)));
        assertFalse(atLimit.endsWith("..."), atLimit);
        assertEquals(FailureReporter.MAX_DESCRIPTION, atLimit.length());
        String over = reporter.describe(new SQLException("x".repeat(FailureReporter.MAX_DESCRIPTION - prefix + 1)));
        assertEquals(FailureReporter.MAX_DESCRIPTION + 3, over.length());
        assertTrue(over.endsWith("..."), over);
    }
}
