package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static stogger.postgres.TestSupport.awaitUntil;
import static stogger.postgres.TestSupport.captureStderr;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stogger.core.Fields;
import stogger.postgres.internal.connection.Connector;

/**
 * The spool's replay where it does not go straight: a spooled record the server rejects, and a
 * replay whose rows a crash left committed in the database but not yet marked done on disk. Each
 * test spools records while a {@link TcpProxy} keeps the database away, then lets the replay run.
 */
class SpoolReplayTest {

    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final int RECORDS = 100;

    @TempDir
    Path spoolDirectory;
    @TempDir
    Path saved;

    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
        fixture.dropProgressTable();
    }

    private PostgresSettings.Builder settings(TcpProxy proxy) throws Exception {
        return fixture.spoolingThrough(proxy, spoolDirectory).mode("async");
    }

    /** Spools records 0 to {@link #RECORDS} - 1 with the database away, and closes that handler. */
    private void spoolWhileAway(TcpProxy proxy, PostgresSettings.Builder settings) throws Exception {
        PostgresHandler handler = fixture.attach(settings);
        for (int i = 0; i < RECORDS; i++) {
            fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", i));
        }
        handler.close();
        fixture.logger.removeHandler(handler);
        assertEquals(RECORDS, handler.stats().spooled(), handler.stats().toString());
    }

    /** A handler on the same spool that replays it; returns it closed once the spool is empty. */
    private PostgresHandler replay(PostgresSettings.Builder settings) throws Exception {
        PostgresHandler handler = replayed(settings);
        handler.close();
        return handler;
    }

    /** A handler on the same spool, once it has replayed it, still open. */
    private PostgresHandler replayed(PostgresSettings.Builder settings) throws Exception {
        PostgresHandler handler = fixture.keep(new PostgresHandler(settings.build()));
        awaitUntil(() -> handler.stats().spooled() == 0 && handler.stats().queued() == 0, DRAIN,
                () -> handler.stats().toString());
        return handler;
    }

    private void createTableRejecting(int seq) throws Exception {
        fixture.db.execute("CREATE TABLE " + fixture.table + " (id BIGSERIAL PRIMARY KEY, timestamp TIMESTAMPTZ NOT"
                + " NULL, level TEXT NOT NULL, event TEXT NOT NULL, func TEXT, scope TEXT, data JSONB NOT NULL"
                + " DEFAULT '{}', CONSTRAINT no_" + seq + " CHECK (coalesce(data->>'seq', '') <> '" + seq + "'))");
    }

    @Test
    void aSpooledRecordTheServerRejectsIsLostAloneAndTheRestOfItsBatchIsReplayedOnce() throws Exception {
        createTableRejecting(7);
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            String stderr = captureStderr(() -> {
                spoolWhileAway(proxy, settings(proxy));
                proxy.up();
                HandlerStats after = replay(settings(proxy)).stats();
                assertEquals(RECORDS - 1, after.replayed(), after.toString());
                assertEquals(RECORDS - 1, after.written(), after.toString());
                assertEquals(1, after.lost(), after.toString());
            });
            assertTrue(stderr.contains("replay is exactly once"), stderr);
            assertTrue(stderr.contains("a spooled record was rejected by the server"), stderr);
            assertTrue(stderr.contains("no_7"), "the server's reason names the constraint: " + stderr);
            assertEquals(RECORDS - 1, fixture.seqRows(), stderr);
            assertEquals(RECORDS - 1, fixture.distinctSeqs());
            assertEquals("0", fixture.db.value("SELECT count(*) FROM " + fixture.table + " WHERE data->>'seq' = '7'"));
            assertEquals(1, fixture.lostInMarkers("statement-failed"), stderr);
        }
    }

    @Test
    void withoutTheProgressTableARejectedSpooledRecordIsLostAloneToo() throws Exception {
        createTableRejecting(42);
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            String stderr = captureStderr(() -> {
                spoolWhileAway(proxy, settings(proxy).createTable(false));
                proxy.up();
                HandlerStats after = replay(settings(proxy).createTable(false)).stats();
                assertEquals(RECORDS - 1, after.replayed(), after.toString());
                assertEquals(1, after.lost(), after.toString());
            });
            assertTrue(stderr.contains("replay is at least once"), stderr);
            assertEquals(RECORDS - 1, fixture.seqRows(), stderr);
            assertEquals(RECORDS - 1, fixture.distinctSeqs());
        }
    }

    @Test
    void rowsAReplayCommittedBeforeACrashAreNotWrittenAgain() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            String stderr = captureStderr(() -> {
                spoolWhileAway(proxy, settings(proxy));
                copyAll(spoolDirectory, saved);
                proxy.up();
                replay(settings(proxy));
                assertEquals(RECORDS, fixture.seqRows());
                // As if the process had died after the replay's commit and before it marked the
                // records done on disk: the spool directory is back as it was before the replay.
                copyAll(saved, spoolDirectory);
                HandlerStats again = replay(settings(proxy)).stats();
                assertEquals(0, again.replayed(), again.toString());
                assertEquals(0, again.lost(), again.toString());
            });
            assertEquals(RECORDS, fixture.seqRows(), stderr);
            assertEquals(RECORDS, fixture.distinctSeqs(), stderr);
        }
    }

    @Test
    void aStoredPositionThatIsNoRecordBoundaryOfThisSpoolIsIgnoredAndTheSpoolReplayedFromItsOwn()
            throws Exception {
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            String stderr = captureStderr(() -> {
                spoolWhileAway(proxy, settings(proxy));
                copyAll(spoolDirectory, saved);
                proxy.up();
                replay(settings(proxy));
                copyAll(saved, spoolDirectory);
                // A position inside the last record: no spool of this id ever committed it.
                fixture.db.execute("UPDATE " + fixture.table + "_spool SET byte_offset = byte_offset - 1");
                HandlerStats again = replay(settings(proxy)).stats();
                assertEquals(RECORDS, again.replayed(), again.toString());
            });
            // At least once: the records are written again rather than skipped on a position that
            // cannot be this spool's.
            assertEquals(2L * RECORDS, fixture.seqRows(), stderr);
            assertEquals(RECORDS, fixture.distinctSeqs(), stderr);
        }
    }

    @Test
    void aCrashAfterACompleteReplayWithoutTheProgressTableWritesNothingAgain() throws Exception {
        // The seed's table, made by hand since createTable = false; no record carries this seq.
        createTableRejecting(RECORDS);
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            String stderr = captureStderr(() -> {
                spoolWhileAway(proxy, settings(proxy).createTable(false));
                proxy.up();
                PostgresHandler replaying = replayed(settings(proxy).createTable(false));
                // As if the process died now, before its close deleted the replayed segment: only
                // the position on disk tells the next process where the replay stopped.
                copyAll(spoolDirectory, saved);
                replaying.close();
                copyAll(saved, spoolDirectory);
                HandlerStats next = replay(settings(proxy).createTable(false)).stats();
                assertEquals(0, next.replayed(), next.toString());
            });
            assertEquals(RECORDS, fixture.seqRows(), stderr);
            assertEquals(RECORDS, fixture.distinctSeqs(), stderr);
        }
    }

    @Test
    void theReplayGuaranteeIsToldOnceThoughTheConnectionIsMadeAgainAfterAnOutage() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            proxy.up();
            String stderr = captureStderr(() -> {
                PostgresHandler handler = fixture.attach(settings(proxy));
                fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", 0));
                handler.flush();
                proxy.down();
                for (int i = 1; i < RECORDS; i++) {
                    fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", i));
                }
                awaitUntil(() -> handler.stats().spooled() > 0, DRAIN, () -> handler.stats().toString());
                proxy.up();
                awaitUntil(() -> handler.stats().written() == RECORDS && handler.stats().spooled() == 0, DRAIN,
                        () -> handler.stats().toString());
                handler.close();
            });
            assertEquals(1, stderr.split("replay is exactly once", -1).length - 1, stderr);
            assertEquals(RECORDS, fixture.seqRows(), stderr);
        }
    }

    @Test
    void theSegmentsAReplayPassedAreDeletedWhileTheHandlerRuns() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fixture.db.host(), fixture.db.port())) {
            // 512 KiB of spool makes segments of 64 KiB, so 1,500 records (about 230 bytes each) fill several.
            PostgresHandler handler = fixture.attach(settings(proxy).spoolMaxBytes(512 * 1024));
            for (int i = 0; i < 1_500; i++) {
                fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", i));
            }
            awaitUntil(() -> handler.stats().spooled() == 1_500, DRAIN, () -> handler.stats().toString());
            long before = segmentSizes().size();
            // A batch moved into the spool goes into one segment whole, so how many there are varies.
            assertTrue(before >= 2, before + " segments");
            proxy.up();
            // The count drops before the replay deletes the segments it passed, so wait for both. Once
            // caught up, the segment read to its end makes way for a new, empty one: one file is left.
            awaitUntil(() -> handler.stats().spooled() == 0 && List.of(0L).equals(segmentSizesOrNull()), DRAIN,
                    () -> handler.stats() + ", segments of " + segmentSizesOrNull() + " bytes left of " + before);
            assertEquals(1_500, fixture.seqRows());
        }
    }

    /** The sizes of the segment files, or null when the directory could not be listed (a deletion raced). */
    private List<Long> segmentSizesOrNull() {
        try {
            return segmentSizes();
        } catch (IOException e) {
            return null;
        }
    }

    private List<Long> segmentSizes() throws IOException {
        try (Stream<Path> files = Files.list(spoolDirectory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("segment-"))
                    .map(file -> file.toFile().length()).toList();
        }
    }

    /** What the next commit does before its connection breaks at its end. */
    private enum Break {
        NONE, AFTER_COMMITTING, WITHOUT_COMMITTING
    }

    /**
     * Connections whose next commit, once armed, breaks the connection at its end, so that the
     * writer cannot know whether it committed: a reply lost on the way back.
     */
    private static Connector breakingTheNextCommit(AtomicReference<Break> armed) {
        return (url, properties) -> {
            Connection real = DriverManager.getConnection(url, properties);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            Break mode = armed.getAndSet(Break.NONE);
                            if (mode != Break.NONE) {
                                if (mode == Break.AFTER_COMMITTING) {
                                    real.commit();
                                } else {
                                    real.rollback();
                                }
                                real.close();
                                throw new SQLException("An I/O error occurred while sending to the backend (test)",
                                        "08006");
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }

    /**
     * Writes 100 records, then 100 more whose live batch breaks at its commit as {@code mode}
     * says, and waits until the handler has resolved them; returns its stats at close.
     */
    private HandlerStats aLiveBatchInDoubt(Break mode) throws Exception {
        AtomicReference<Break> armed = new AtomicReference<>(Break.NONE);
        PostgresHandler handler = fixture.attach(new PostgresHandler(PostgresSettings.builder().dsn(fixture.db.dsn())
                .table(fixture.table).spoolDirectory(spoolDirectory.toString()).mode("async").retryInitialMs(100)
                .retryMaxMs(500).build(), breakingTheNextCommit(armed)));
        for (int i = 0; i < RECORDS; i++) {
            fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", i));
        }
        handler.flush();
        assertEquals(RECORDS, handler.stats().written(), handler.stats().toString());
        armed.set(mode);
        for (int i = RECORDS; i < 2 * RECORDS; i++) {
            fixture.logger.log(Level.INFO, "numbered", Fields.of("seq", i));
        }
        awaitUntil(() -> armed.get() == Break.NONE && handler.stats().written() == 2 * RECORDS
                && handler.stats().spooled() == 0, DRAIN, () -> handler.stats().toString());
        handler.close();
        return handler.stats();
    }

    @Test
    void aLiveBatchThatCommittedThoughItsConnectionBrokeAtTheCommitIsNotWrittenAgain() throws Exception {
        String stderr = captureStderr(() -> {
            HandlerStats stats = aLiveBatchInDoubt(Break.AFTER_COMMITTING);
            // Its rows count as written once, and none as replayed: the replay skipped them.
            assertEquals(2 * RECORDS, stats.written(), stats.toString());
            assertEquals(0, stats.replayed(), stats.toString());
            assertEquals(0, stats.lost(), stats.toString());
        });
        assertEquals(2 * RECORDS, fixture.seqRows(), stderr);
        assertEquals(2 * RECORDS, fixture.distinctSeqs(), stderr);
    }

    @Test
    void aLiveBatchThatDidNotCommitWhenItsConnectionBrokeIsReplayed() throws Exception {
        String stderr = captureStderr(() -> {
            HandlerStats stats = aLiveBatchInDoubt(Break.WITHOUT_COMMITTING);
            assertTrue(stats.replayed() > 0 && stats.replayed() <= RECORDS, stats.toString());
            assertEquals(0, stats.lost(), stats.toString());
        });
        assertEquals(2 * RECORDS, fixture.seqRows(), stderr);
        assertEquals(2 * RECORDS, fixture.distinctSeqs(), stderr);
    }

    /** Replaces what {@code to} holds with the files of {@code from}. */
    private static void copyAll(Path from, Path to) throws IOException {
        try (Stream<Path> old = Files.list(to)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(from)) {
            files = all.toList();
        }
        for (Path file : files) {
            Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
