package stogger.postgres.internal.spool;

import java.nio.file.Path;

/**
 * The spool's settings, from the handler's keys.
 *
 * @param directory {@code spoolDirectory}
 * @param always {@code spoolMode = always}
 * @param maxBytes {@code spoolMaxBytes}
 * @param syncEveryAppend {@code spoolSync = batch}: forced to disk before an append returns
 * @param syncIntervalMs {@code spoolSyncIntervalMs}: with {@code spoolSync = interval}, the longest
 *     a spooled record waits to be forced to disk
 * @param batchSize the most records one replay batch writes
 * @param createTable whether the progress table may be created
 * @param lockTimeoutMs the longest its DDL waits for a lock
 */
public record SpoolSettings(Path directory, boolean always, long maxBytes, boolean syncEveryAppend,
        int syncIntervalMs, int batchSize, boolean createTable, int lockTimeoutMs) {

    /** A segment is closed at this size: an eighth of the spool, from 64 KiB to 16 MiB. */
    long segmentBytes() {
        return Math.max(64 * 1024, Math.min(16L << 20, maxBytes / 8));
    }
}
