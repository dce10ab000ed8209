package stogger.postgres.internal.spool;

/**
 * A place in the spool: the next byte to read, as a segment number and an offset in that
 * segment. Records before it are replayed. A segment number that no file has means the first
 * segment at or after it, from its start.
 */
record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {

    static final SpoolPosition START = new SpoolPosition(0, 0);

    @Override
    public int compareTo(SpoolPosition other) {
        int bySegment = Long.compare(segment, other.segment);
        return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
    }

    static SpoolPosition max(SpoolPosition a, SpoolPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return segment + ":" + offset;
    }
}
