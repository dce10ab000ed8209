package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool when a process dies: child JVMs killed as {@code kill -9} does
 * ({@code Process.destroyForcibly()}), during an outage, during a replay, with
 * {@code spoolMode = always}; a replay far larger than the heap; two JVMs on one directory.
 */
class SpoolCrashTest {

    private static final Duration LONG = Duration.ofSeconds(120);

    @TempDir
    Path spoolDirectory;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.uniqueTable();

    @AfterEach
    void dropTables() throws Exception {
        db.drop(table);
        db.execute("DROP TABLE IF EXISTS " + table + "_spool");
    }

    private Map<String, String> child(TcpProxy proxy, int from, int to, int rate, String then) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("dsn", db.dsnAt("127.0.0.1", proxy.port()));
        properties.put("table", table);
        properties.put("dir", spoolDirectory.toString());
        properties.put("from", Integer.toString(from));
        properties.put("to", Integer.toString(to));
        properties.put("rate", Integer.toString(rate));
        properties.put("then", then);
        return properties;
    }

    private long rows() throws Exception {
        return Long.parseLong(db.value("SELECT count(*) FROM " + table + " WHERE data ? 'seq'"));
    }

    private long distinctSeqs() throws Exception {
        return Long.parseLong(db.value("SELECT count(DISTINCT data->>'seq') FROM " + table + " WHERE data ? 'seq'"));
    }

    /** The spooled count a child printed on its {@code stats} line. */
    private static long spooled(String statsLine) {
        return Long.parseLong(statsLine.split(" ")[1]);
    }

    private static boolean tableExists(TestDatabase db, String table) {
        try {
            return "t".equals(db.value("SELECT to_regclass('" + table + "') IS NOT NULL"));
        } catch (Exception e) {
            return false;
        }
    }

    /** A new JVM on the same directory replays until the spool is empty, and exits normally. */
    private void replayToTheEnd(TcpProxy proxy, String... jvmOptions) throws Exception {
        try (ChildJvm replay = ChildJvm.start(child(proxy, 0, 0, 1, "drain"), jvmOptions)) {
            assertEquals(0, replay.await(LONG), replay.toString());
            assertFalse(replay.stderr().contains("OutOfMemoryError"), replay.toString());
        }
    }

    @Test
    void killedDuringAnOutageThenANewJvmWritesEverySpooledRecordExactlyOnce() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            long spooled;
            try (ChildJvm app = ChildJvm.start(child(proxy, 0, 20_000, 20_000, "hold"))) {
                spooled = spooled(app.awaitLine("stats ", LONG));
                app.awaitLine("holding", LONG);
                app.kill();
                assertEquals(20_000, spooled, app.toString());
            }
            proxy.up();
            replayToTheEnd(proxy);
            assertEquals(20_000, rows());
            assertEquals(20_000, distinctSeqs());
        }
    }

    @Test
    void killedSeveralTimesDuringAReplayEveryRecordIsWrittenExactlyOnce() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            try (ChildJvm app = ChildJvm.start(child(proxy, 0, 150_000, 200_000, "hold"))) {
                assertEquals(150_000, spooled(app.awaitLine("stats ", LONG)), app.toString());
                app.kill();
            }
            proxy.up();
            long before = 0;
            for (int kill = 0; kill < 3; kill++) {
                try (ChildJvm replay = ChildJvm.start(child(proxy, 0, 0, 1, "drain"))) {
                    long start = before;
                    long deadline = System.nanoTime() + LONG.toNanos();
                    // Killed once it has written part of the spool: mid-batch or between batches.
                    while ((!tableExists(db, table) || rows() < start + 5_000) && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    replay.kill();
                }
                long now = rows();
                assertTrue(now > before && now < 150_000, "replay went on between kills: " + before + " -> " + now);
                assertEquals(now, distinctSeqs(), "no record twice after kill " + (kill + 1));
                before = now;
            }
            replayToTheEnd(proxy);
            assertEquals(150_000, rows());
            assertEquals(150_000, distinctSeqs());
        }
    }

    @Test
    void alwaysModeKilledWhileTheDatabaseIsUpLosesNoRecordThatPublishReturnedFrom() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            Map<String, String> properties = child(proxy, 0, 200_000, 20_000, "hold");
            properties.put("spoolMode", "always");
            long logged;
            try (ChildJvm app = ChildJvm.start(properties)) {
                app.awaitLine("logged 20000", LONG);
                app.kill();
                logged = Long.parseLong(app.awaitLine("logged ", LONG).split(" ")[1]);
            }
            replayToTheEnd(proxy);
            long rows = rows();
            assertEquals(rows, distinctSeqs(), "none twice");
            // Each append is one write to the file before publish returns: a kill loses no record
            // publish returned from; at most the one being appended, which a torn tail would count.
            assertTrue(rows >= logged, rows + " rows, " + logged + " logged before the kill");
            assertEquals(rows - 1, Long.parseLong(db.value("SELECT max((data->>'seq')::bigint) FROM " + table)),
                    "no gap: rows 0 to " + (rows - 1));
        }
    }

    @Test
    void aReplayOfASpoolFarLargerThanTheHeapKeepsTheHeapBounded() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            Map<String, String> properties = child(proxy, 0, 100_000, 100_000, "hold");
            properties.put("pad", "2000");
            properties.put("maxBytes", Integer.toString(300 << 20));
            try (ChildJvm app = ChildJvm.start(properties, "-Xmx64m")) {
                assertEquals(100_000, spooled(app.awaitLine("stats ", LONG)), app.toString());
                app.kill();
            }
            long bytes = 0;
            try (var files = java.nio.file.Files.newDirectoryStream(spoolDirectory, "segment-*.spool")) {
                for (Path file : files) {
                    bytes += java.nio.file.Files.size(file);
                }
            }
            assertTrue(bytes > 200L << 20, bytes + " bytes spooled");
            proxy.up();
            replayToTheEnd(proxy, "-Xmx64m");
            assertEquals(100_000, rows());
            assertEquals(100_000, distinctSeqs());
        }
    }

    @Test
    void aSecondJvmOnTheSameDirectoryRunsWithoutASpoolAndSaysWhoHasIt() throws Exception {
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.up();
            try (ChildJvm first = ChildJvm.start(child(proxy, 0, 1_000, 10_000, "hold"))) {
                first.awaitLine("holding", LONG);
                try (ChildJvm second = ChildJvm.start(child(proxy, 1_000, 2_000, 10_000, "close"))) {
                    assertEquals(0, second.await(LONG), second.toString());
                    assertTrue(second.stderr().contains("spool directory " + spoolDirectory + " is in use by another"
                            + " process (pid " + first.pid() + ")"), second.toString());
                }
                first.kill();
            }
            assertEquals(2_000, rows());
            assertEquals(2_000, distinctSeqs());
        }
    }
}
