package stogger.postgres.internal.loss;

import java.time.Instant;

/**
 * One reason's losses since its last episode ended, and what stderr has been told of them. Owned
 * and synchronised by {@link LossLedger}.
 */
final class Episode {

    long lost;
    Instant first;
    Instant last;
    // The ledger's loss sequence number of the latest loss: a write that began after it ends the episode.
    long lastLossSeq;
    String lastDetail;
    // Whether a stderr line has shown this episode; if so, its end is shown too.
    boolean shown;
    // Earlier episodes of this reason that ended with no line at all (the rate limit held them back).
    long hiddenLost;
    long hiddenEpisodes;

    boolean open() {
        return lost > 0;
    }

    void add(long n, Instant firstLost, Instant lastLost, String detail, long seq) {
        if (lost == 0 || firstLost.isBefore(first)) {
            first = firstLost;
        }
        if (lost == 0 || lastLost.isAfter(last)) {
            last = lastLost;
        }
        lost += n;
        lastLossSeq = seq;
        lastDetail = detail;
    }

    /** Ends the episode; if no line showed it, the next line of this reason will count it. */
    void end() {
        if (!shown) {
            hiddenLost += lost;
            hiddenEpisodes++;
        }
        lost = 0;
        first = null;
        last = null;
        shown = false;
    }
}
