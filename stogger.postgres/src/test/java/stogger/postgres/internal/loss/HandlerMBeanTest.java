package stogger.postgres.internal.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import stogger.postgres.internal.spool.SpoolStats;

/**
 * The MBean as a JMX client reads it from the platform MBeanServer: each loss reason under an
 * attribute of its own, the spool's figures, and a name of its own for each handler of one table.
 */
class HandlerMBeanTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final LossLedger ledger = new LossLedger((message, e, code) -> { }, System::nanoTime, Instant::now);
    private final String table = "mbean_" + UUID.randomUUID().toString().replace("-", "");
    private final List<HandlerMBean> registered = new ArrayList<>();

    @AfterEach
    void unregister() {
        registered.forEach(HandlerMBean::unregister);
    }

    private ObjectName register(HandlerMBean bean) throws Exception {
        ObjectName name = bean.register(table);
        registered.add(bean);
        return name;
    }

    /** {@code SPOOL_FULL} becomes {@code LostSpoolFull}, the attribute's name in the README. */
    private static String attribute(LossReason reason) {
        StringBuilder name = new StringBuilder("Lost");
        for (String word : reason.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    @Test
    void eachLossReasonHasItsOwnAttributeWithItsExactCountAndDroppedAndFailedSplitThem() throws Exception {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        Map<LossReason, Long> counts = new EnumMap<>(LossReason.class);
        long count = 1;
        for (LossReason reason : LossReason.values()) {
            // Powers of two: an attribute that read another reason, or a sum, cannot match.
            counts.put(reason, count);
            ledger.lost(reason, count, at, at, "test");
            count *= 2;
        }
        ObjectName name = register(new HandlerMBean(ledger, () -> 7, () -> true, () -> "the last error",
                () -> new SpoolStats(11, 13, 17, 19)));
        long failed = 0;
        long dropped = 0;
        for (LossReason reason : LossReason.values()) {
            assertEquals(counts.get(reason), server.getAttribute(name, attribute(reason)), reason.toString());
            failed += reason.countsAsFailed() ? counts.get(reason) : 0;
            dropped += reason.countsAsFailed() ? 0 : counts.get(reason);
        }
        assertEquals(failed, server.getAttribute(name, "Failed"));
        assertEquals(dropped, server.getAttribute(name, "Dropped"));
        assertTrue(failed > 0 && dropped > 0, "both kinds counted");
        assertEquals(7L, server.getAttribute(name, "Queued"));
        assertEquals(Boolean.TRUE, server.getAttribute(name, "Connected"));
        assertEquals("the last error", server.getAttribute(name, "LastError"));
        assertEquals(11L, server.getAttribute(name, "Spooled"));
        assertEquals(13L, server.getAttribute(name, "SpoolBytes"));
        assertEquals(17L, server.getAttribute(name, "OldestSpooledAgeMillis"));
        assertEquals(19L, server.getAttribute(name, "Replayed"));
    }

    @Test
    void aHandlerWithoutASpoolShowsNoSpooledRecords() throws Exception {
        ObjectName name = register(new HandlerMBean(ledger, () -> 0, () -> false, () -> null));
        for (String attribute : List.of("Spooled", "SpoolBytes", "OldestSpooledAgeMillis", "Replayed")) {
            assertEquals(0L, server.getAttribute(name, attribute), attribute);
        }
        assertEquals(Boolean.FALSE, server.getAttribute(name, "Connected"));
        assertNull(server.getAttribute(name, "LastError"));
        assertNull(server.getAttribute(name, "LastSuccess"), "nothing written yet");
    }

    @Test
    void everyHandlerOfOneTableGetsANameOfItsOwnAndAFreedNameIsTakenAgain() throws Exception {
        String base = "stogger:type=PostgresHandler,name=" + ObjectName.quote(table);
        List<ObjectName> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(register(new HandlerMBean(ledger, () -> 0, () -> true, () -> null)));
        }
        assertEquals(List.of(new ObjectName(base), new ObjectName(base + ",instance=2"),
                new ObjectName(base + ",instance=3")), names);
        for (ObjectName name : names) {
            assertTrue(server.isRegistered(name), name.toString());
        }
        registered.get(0).unregister();
        assertFalse(server.isRegistered(names.get(0)), "unregistered");
        assertEquals(new ObjectName(base), register(new HandlerMBean(ledger, () -> 0, () -> true, () -> null)));
    }
}
