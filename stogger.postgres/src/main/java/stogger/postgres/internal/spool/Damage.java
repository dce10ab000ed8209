package stogger.postgres.internal.spool;

/**
 * Bytes of a segment that do not hold a valid record: a torn tail (a frame cut short by a kill or
 * a crash, the last thing in its segment) or a damaged frame in the middle, skipped up to the
 * next valid frame.
 *
 * @param torn true for a torn tail, which is cut off the file
 * @param segment the segment's number
 * @param offset where the bad bytes start
 * @param bytes how many bytes are skipped
 */
record Damage(boolean torn, long segment, long offset, long bytes) {

    /** One line for stderr. */
    String describe(String file) {
        return torn ? "a torn record at the end of spool segment " + file + " (offset " + offset + ", " + bytes
                + " bytes) is cut off"
                : "a damaged record in spool segment " + file + " at offset " + offset + " (" + bytes
                        + " bytes) is skipped";
    }
}
