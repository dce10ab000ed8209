package stogger.postgres.internal.loss;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;

/**
 * Where every record's fate is counted: written, or lost with a {@link LossReason}. Losses are
 * grouped into episodes per reason; each episode is told on stderr (its first loss at once,
 * reminders with the exact running count at most every {@value #LINE_INTERVAL_SECONDS} s, and
 * one line when it ends) and, when it ends, becomes one {@code records-lost} marker row that the
 * writer writes as soon as it can. An episode ends at the first successful write that began after
 * its last loss (writers take a {@link #mark()} before writing). Thread-safe; the path of a
 * written record takes no lock while no episode is open.
 */
public final class LossLedger {

    static final int LINE_INTERVAL_SECONDS = 10;
    private static final long LINE_INTERVAL_NANOS = LINE_INTERVAL_SECONDS * 1_000_000_000L;

    private final FailureReporter.Sink sink;
    private final LongSupplier nanoTime;
    private final Supplier<Instant> now;
    private final LongAdder written = new LongAdder();
    private final Map<LossReason, AtomicLong> totals = new EnumMap<>(LossReason.class);
    private final Map<LossReason, Episode> episodes = new EnumMap<>(LossReason.class);
    private final Map<LossReason, Long> lastLineNanos = new EnumMap<>(LossReason.class);
    private final List<PostgresRow> markers = new ArrayList<>();
    private final AtomicLong lossSeq = new AtomicLong();
    private volatile boolean anyOpen;
    private volatile long lastSuccessMillis;

    /**
     * @param sink where stderr lines go (the handler's ErrorManager); messages are already masked
     * @param nanoTime the clock for rate limits
     * @param now the wall clock for marker rows
     */
    public LossLedger(FailureReporter.Sink sink, LongSupplier nanoTime, Supplier<Instant> now) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.now = now;
        for (LossReason reason : LossReason.values()) {
            totals.put(reason, new AtomicLong());
            episodes.put(reason, new Episode());
        }
    }

    /** The point a write starts from: losses after it keep their episodes open. */
    public long mark() {
        return lossSeq.get();
    }

    /**
     * Records that {@code n} rows were committed by a write that began at {@code mark}; ends every
     * episode whose last loss came before that mark.
     */
    public void wrote(long n, long mark) {
        written.add(n);
        lastSuccessMillis = System.currentTimeMillis();
        if (anyOpen) {
            endEpisodesBefore(mark, true);
        }
    }

    /**
     * Records lost rows.
     *
     * @param reason why
     * @param n how many
     * @param first the timestamp of the first lost record
     * @param last the timestamp of the last lost record
     * @param detail what happened, in words a reader understands (masked), e.g. the server's message
     */
    public void lost(LossReason reason, long n, Instant first, Instant last, String detail) {
        if (n <= 0) {
            return;
        }
        totals.get(reason).addAndGet(n);
        String line;
        synchronized (this) {
            Episode episode = episodes.get(reason);
            boolean starting = !episode.open();
            episode.add(n, first, last, detail, lossSeq.incrementAndGet());
            anyOpen = true;
            line = lineAllowed(reason) ? (starting ? startLine(reason, episode) : reminderLine(reason, episode)) : null;
            episode.shown |= line != null;
        }
        if (line != null) {
            sink.report(line, null, ErrorManager.WRITE_FAILURE);
        }
    }

    /** One lost record whose timestamp is {@code at}. */
    public void lost(LossReason reason, Instant at, String detail) {
        lost(reason, 1, at, at, detail);
    }

    /** Lost rows, in any order: the episode spans their earliest to their latest timestamp. */
    public void lost(LossReason reason, List<PostgresRow> rows, String detail) {
        if (rows.isEmpty()) {
            return;
        }
        Instant first = rows.get(0).timestamp();
        Instant last = first;
        for (PostgresRow row : rows) {
            first = row.timestamp().isBefore(first) ? row.timestamp() : first;
            last = row.timestamp().isAfter(last) ? row.timestamp() : last;
        }
        lost(reason, rows.size(), first, last, detail);
    }

    /**
     * Ends every open episode, as at close: their marker rows become pending. No "writing again"
     * line: nothing was written; the close summary counts them.
     */
    public void endAll() {
        endEpisodesBefore(Long.MAX_VALUE, false);
    }

    /** Takes the marker rows waiting to be written; give them back with {@link #unwritten} if that fails. */
    public synchronized List<PostgresRow> takeMarkers() {
        if (markers.isEmpty()) {
            return List.of();
        }
        List<PostgresRow> taken = List.copyOf(markers);
        markers.clear();
        return taken;
    }

    /** Marker rows that could not be written; kept for the next chance, never counted as lost. */
    public synchronized void unwritten(List<PostgresRow> rows) {
        markers.addAll(0, rows);
    }

    /** Whether marker rows wait to be written. */
    public synchronized boolean hasMarkers() {
        return !markers.isEmpty();
    }

    private void endEpisodesBefore(long mark, boolean writing) {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            boolean open = false;
            for (Map.Entry<LossReason, Episode> entry : episodes.entrySet()) {
                Episode episode = entry.getValue();
                if (!episode.open()) {
                    continue;
                }
                if (episode.lastLossSeq > mark) {
                    open = true;
                    continue;
                }
                LossReason reason = entry.getKey();
                markers.add(MarkerRow.of(reason, episode.lost, episode.first, episode.last, now.get()));
                if (writing && (episode.shown || lineAllowed(reason))) {
                    episode.shown = true;
                    lines.add(endLine(reason, episode));
                }
                episode.end();
            }
            anyOpen = open;
        }
        for (String line : lines) {
            sink.report(line, null, ErrorManager.GENERIC_FAILURE);
        }
    }

    /** Whether a line for this reason may be printed now; if so, notes that one is. Caller holds the lock. */
    private boolean lineAllowed(LossReason reason) {
        long t = nanoTime.getAsLong();
        Long last = lastLineNanos.get(reason);
        if (last != null && t - last < LINE_INTERVAL_NANOS) {
            return false;
        }
        lastLineNanos.put(reason, t);
        return true;
    }

    private String startLine(LossReason reason, Episode episode) {
        return "records lost (" + reason.label() + "): " + episode.lastDetail + "; " + episode.lost + " lost since "
                + episode.first + unreported(episode);
    }

    private String reminderLine(LossReason reason, Episode episode) {
        return "still losing records (" + reason.label() + "): " + episode.lost + " lost since " + episode.first
                + unreported(episode) + "; last: " + episode.lastDetail;
    }

    private String endLine(LossReason reason, Episode episode) {
        return "writing again; " + episode.lost + " records lost (" + reason.label() + ") from " + episode.first
                + " to " + episode.last + unreported(episode);
    }

    /** Earlier episodes of this reason that no line showed, counted once in the next line that is shown. */
    private static String unreported(Episode episode) {
        if (episode.hiddenEpisodes == 0) {
            return "";
        }
        String text = String.format(Locale.ROOT, "; before it, %d records lost in %d short episodes not shown",
                episode.hiddenLost, episode.hiddenEpisodes);
        episode.hiddenLost = 0;
        episode.hiddenEpisodes = 0;
        return text;
    }

    /** The one line {@code close()} prints: records lost since start, by reason; null when none were. */
    public String summary() {
        StringJoiner byReason = new StringJoiner(", ");
        long total = 0;
        for (LossReason reason : LossReason.values()) {
            long n = totals.get(reason).get();
            if (n > 0) {
                byReason.add(reason.label() + " " + n);
                total += n;
            }
        }
        return total == 0 ? null : "closed; " + total + " records lost since start (" + byReason + ")";
    }

    /** When rows were last committed, or null when never. */
    public Instant lastSuccess() {
        long millis = lastSuccessMillis;
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    public long written() {
        return written.sum();
    }

    /** Records lost for this reason since start. */
    public long lost(LossReason reason) {
        return totals.get(reason).get();
    }

    /** Lost records that {@code stats()} counts as dropped: every reason but a rejected statement. */
    public long dropped() {
        long n = 0;
        for (LossReason reason : LossReason.values()) {
            n += reason.countsAsFailed() ? 0 : totals.get(reason).get();
        }
        return n;
    }

    /** Lost records that {@code stats()} counts as failed: rejected by the server. */
    public long failed() {
        long n = 0;
        for (LossReason reason : LossReason.values()) {
            n += reason.countsAsFailed() ? totals.get(reason).get() : 0;
        }
        return n;
    }

    /** All lost records. */
    public long lost() {
        return dropped() + failed();
    }
}
