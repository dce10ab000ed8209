package stogger.postgres.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import stogger.core.PostgresRow;
import stogger.postgres.internal.loss.FailureReporter;

/**
 * The numbers of live batches, which decide whether a batch whose commit was not confirmed (its
 * connection broke at its end) is replayed. Each live batch commits its number into the progress
 * table; a batch in doubt goes to the spool behind a control record carrying its number; each new
 * connection's first look at the table (before any batch is written on it) gives the number of the
 * last committed live batch, which is remembered in the directory ({@code spool.live}). A batch in
 * doubt committed exactly when its number is among those remembered, since after it broke no
 * other live batch could commit before the next connection looked.
 */
final class LiveBatches {

    private static final int CONTROL_BYTES = 14;

    /** A live batch whose commit was not confirmed: its number, first row and size. */
    private record Doubt(long number, PostgresRow first, int size) {
    }

    private final Path file;
    private final FailureReporter.Sink report;
    private final Set<Long> committed = ConcurrentHashMap.newKeySet();
    private final AtomicLong numbers = new AtomicLong(new Random().nextLong() & Long.MAX_VALUE >>> 1);
    private volatile Doubt inDoubt;

    LiveBatches(SegmentFiles files, FailureReporter.Sink report) {
        this.file = files.file(SegmentFiles.LIVE);
        this.report = report;
        load();
    }

    private void load() {
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    try {
                        committed.add(Long.parseLong(line.trim()));
                    } catch (NumberFormatException e) {
                        // A line torn by a crash: it was not yet needed.
                    }
                }
            }
        } catch (IOException e) {
            report.report("reading " + file + " failed: " + e, e, ErrorManager.GENERIC_FAILURE);
        }
    }

    /** The number of the next live batch. */
    long next() {
        return numbers.incrementAndGet();
    }

    /** The last live batch committed. */
    void committed() {
        inDoubt = null;
    }

    /** The live batch {@code number} failed; whether it committed is not known. */
    void failed(long number, List<PostgresRow> rows) {
        inDoubt = new Doubt(number, rows.get(0), rows.size());
    }

    /** What the progress table said on a new connection: the last live batch that committed. */
    void lastCommitted(long number) {
        if (!committed.add(number)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap((number + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
        } catch (IOException e) {
            report.report("writing " + file + " failed: " + e, e, ErrorManager.GENERIC_FAILURE);
        }
    }

    /**
     * The control record to spool before these rows when they are the batch in doubt, or null.
     * It starts with a zero byte, which no COPY line does.
     */
    byte[] controlFor(List<PostgresRow> rows) {
        Doubt doubt = inDoubt;
        if (doubt == null || doubt.first() != rows.get(0) || doubt.size() != rows.size()) {
            return null;
        }
        inDoubt = null;
        return ByteBuffer.allocate(CONTROL_BYTES).put((byte) 0).put((byte) 'D').putLong(doubt.number())
                .putInt(rows.size()).array();
    }

    static boolean isControl(byte[] payload) {
        return payload.length == CONTROL_BYTES && payload[0] == 0 && payload[1] == 'D';
    }

    static int controlBytes() {
        return CONTROL_BYTES;
    }

    /** How many records after this control record were committed already: all of them, or none. */
    long alreadyWritten(byte[] control) {
        ByteBuffer fields = ByteBuffer.wrap(control, 2, 12);
        long number = fields.getLong();
        int count = fields.getInt();
        return committed.contains(number) ? count : 0;
    }
}
