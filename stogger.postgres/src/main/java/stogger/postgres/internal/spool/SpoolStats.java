package stogger.postgres.internal.spool;

/**
 * What the spool holds and did.
 *
 * @param spooled records in the spool, not yet replayed
 * @param bytes the spool's size on disk (its segment files)
 * @param oldestAgeMillis about how long the oldest spooled record has waited; 0 when none does
 * @param replayed records replayed from the spool since start
 */
public record SpoolStats(long spooled, long bytes, long oldestAgeMillis, long replayed) {

    /** The counts of a handler without a spool. */
    public static final SpoolStats NONE = new SpoolStats(0, 0, 0, 0);
}
