package stogger.postgres.internal.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import stogger.core.PostgresRow;

/** Episodes of loss: told on stderr once, reminded with exact counts, ended with a line and one marker row. */
class LossLedgerTest {

    private final List<String> lines = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private final Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    private final LossLedger ledger = new LossLedger((message, e, code) -> lines.add(message), () -> nanos,
            () -> t0.plusSeconds(3600));

    private void advanceSeconds(long seconds) {
        nanos += TimeUnit.SECONDS.toNanos(seconds);
    }

    private Instant at(int second) {
        return t0.plusSeconds(second);
    }

    @Test
    void anEpisodeIsToldAtOnceRemindedWithTheExactCountAndEndedWithALineAndOneMarker() {
        ledger.lost(LossReason.QUEUE_FULL, at(0), "the queue is full (10 records)");
        assertEquals(List.of("records lost (queue-full): the queue is full (10 records); 1 lost since " + at(0)), lines);
        for (int i = 1; i <= 20; i++) {
            advanceSeconds(1);
            ledger.lost(LossReason.QUEUE_FULL, 2, at(i), at(i), "the queue is full (10 records)");
        }
        // One reminder after ten seconds, with the count at that moment; none in between.
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("still losing records (queue-full): 21 lost since " + at(0) + "; last: the queue is full (10"
                + " records)", lines.get(1));
        assertEquals("still losing records (queue-full): 41 lost since " + at(0) + "; last: the queue is full (10"
                + " records)", lines.get(2));
        long mark = ledger.mark();
        ledger.wrote(5, mark);
        assertEquals("writing again; 41 records lost (queue-full) from " + at(0) + " to " + at(20), lines.get(3));
        List<PostgresRow> markers = ledger.takeMarkers();
        assertEquals(1, markers.size());
        PostgresRow marker = markers.get(0);
        assertEquals("warning", marker.level());
        assertEquals("records-lost", marker.event());
        assertNull(marker.func());
        assertNull(marker.scope());
        assertEquals(41, marker.data().getJsonNumber("lost").longValueExact());
        assertEquals("queue-full", marker.data().getString("reason"));
        assertEquals(at(0).toString(), marker.data().getString("first"));
        assertEquals(at(20).toString(), marker.data().getString("last"));
        assertEquals("stogger.postgres", marker.data().getString("logger"));
        assertEquals(t0.plusSeconds(3600), marker.timestamp());
        assertTrue(ledger.takeMarkers().isEmpty(), "taken once");
        assertEquals(5, ledger.written());
        assertEquals(41, ledger.dropped());
        assertEquals(0, ledger.failed());
    }

    @Test
    void aWriteThatBeganBeforeTheLastLossDoesNotEndTheEpisode() {
        long mark = ledger.mark();
        ledger.lost(LossReason.QUEUE_FULL, at(0), "full");
        ledger.wrote(100, mark);
        assertFalse(ledger.hasMarkers());
        assertEquals(1, lines.size(), lines.toString());
        ledger.wrote(100, ledger.mark());
        assertTrue(ledger.hasMarkers());
    }

    @Test
    void reasonsHaveEpisodesOfTheirOwnAndRejectedRecordsCountAsFailed() {
        ledger.lost(LossReason.STATEMENT_FAILED, at(1), "rejected by the server: check constraint [SQLState 23514]");
        ledger.lost(LossReason.DATABASE_UNREACHABLE, at(2), "the database is unreachable");
        assertEquals(2, lines.size(), "each reason's first loss is told at once: " + lines);
        assertTrue(lines.get(0).contains("23514"), lines.get(0));
        assertEquals(1, ledger.failed());
        assertEquals(1, ledger.dropped());
        assertEquals(2, ledger.lost());
        ledger.wrote(1, ledger.mark());
        List<PostgresRow> markers = ledger.takeMarkers();
        assertEquals(List.of("database-unreachable", "statement-failed"), // in the order of LossReason
                markers.stream().map(m -> m.data().getString("reason")).toList());
    }

    @Test
    void shortEpisodesHeldBackByTheRateLimitAreCountedInTheNextLineShown() {
        ledger.lost(LossReason.STATEMENT_FAILED, at(0), "bad row");
        ledger.wrote(1, ledger.mark());
        assertEquals(2, lines.size(), "start and end of the first episode: " + lines);
        for (int i = 1; i <= 3; i++) {
            advanceSeconds(1);
            ledger.lost(LossReason.STATEMENT_FAILED, at(i), "bad row");
            ledger.wrote(1, ledger.mark());
        }
        assertEquals(2, lines.size(), "three more episodes within ten seconds: no line " + lines);
        assertEquals(4, ledger.takeMarkers().size(), "but one marker row each");
        advanceSeconds(10);
        ledger.lost(LossReason.STATEMENT_FAILED, at(20), "bad row");
        assertEquals("records lost (statement-failed): bad row; 1 lost since " + at(20) + "; before it, 3 records lost"
                + " in 3 short episodes not shown", lines.get(2));
    }

    @Test
    void endingEverythingAtCloseMakesMarkersWithoutClaimingToWriteAgainAndTheSummaryCountsByReason() {
        assertNull(ledger.summary(), "nothing lost, no summary");
        ledger.lost(LossReason.CLOSED, 3, at(1), at(2), "not written within closeTimeoutMs=200");
        ledger.lost(LossReason.QUEUE_FULL, 2, at(0), at(0), "full");
        ledger.endAll();
        assertEquals(2, ledger.takeMarkers().size());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("writing again")), lines.toString());
        assertEquals("closed; 5 records lost since start (queue-full 2, closed 3)", ledger.summary());
    }

    @Test
    void markersThatCouldNotBeWrittenWaitForTheNextChanceAndAreNeverCountedAsLost() {
        ledger.lost(LossReason.QUEUE_FULL, at(0), "full");
        ledger.wrote(1, ledger.mark());
        List<PostgresRow> markers = ledger.takeMarkers();
        ledger.unwritten(markers);
        assertTrue(ledger.hasMarkers());
        assertEquals(markers, ledger.takeMarkers());
        assertEquals(1, ledger.lost());
    }

    @Test
    void losingNoRecordsIsNoEpisode() {
        ledger.lost(LossReason.QUEUE_FULL, 0, at(0), at(0), "nothing");
        ledger.lost(LossReason.QUEUE_FULL, List.of(), "nothing");
        assertEquals(List.of(), lines);
        assertEquals(0, ledger.lost());
        ledger.endAll();
        assertFalse(ledger.hasMarkers(), "no marker row for an episode that never began");
    }

    @Test
    void lostRowsInAnyOrderSpanTheirEarliestToTheirLatestTimestamp() {
        List<PostgresRow> rows = new ArrayList<>();
        for (int second : new int[] {5, 9, 2, 7}) {
            rows.add(new PostgresRow(at(second), "info", "e", null, null, jakarta.json.JsonValue.EMPTY_JSON_OBJECT));
        }
        ledger.lost(LossReason.STATEMENT_FAILED, rows, "rejected");
        assertEquals(4, ledger.failed());
        ledger.endAll();
        PostgresRow marker = ledger.takeMarkers().get(0);
        assertEquals(4, marker.data().getJsonNumber("lost").longValueExact());
        assertEquals(at(2).toString(), marker.data().getString("first"));
        assertEquals(at(9).toString(), marker.data().getString("last"));
    }
}
