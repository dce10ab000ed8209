package stogger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler's MBean (README: When records are lost, JMX): registered as
 * {@code stogger:type=PostgresHandler,name="<table>"}, with {@code ,instance=2}, ... for further
 * handlers on one table, unregistered at close, its attributes read from the same counters as
 * {@code stats()}.
 */
class HandlerJmxTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
    }

    private ObjectName name(String suffix) throws Exception {
        return new ObjectName("stogger:type=PostgresHandler,name=" + ObjectName.quote(fixture.table) + suffix);
    }

    private PostgresHandler handler() {
        return fixture.keep(new PostgresHandler(PostgresSettings.builder().dsn(fixture.db.dsn()).table(fixture.table)
                .build()));
    }

    @Test
    void registeredUnderTheTablesNameWithItsCountsAndUnregisteredAtClose() throws Exception {
        PostgresHandler handler = handler();
        ObjectName name = name("");
        assertTrue(server.isRegistered(name), name.toString());
        handler.publish(new LogRecord(Level.INFO, "one"));
        handler.publish(new LogRecord(Level.INFO, "two"));
        assertEquals(2L, server.getAttribute(name, "Written"));
        assertEquals(0L, server.getAttribute(name, "Dropped"));
        assertEquals(0L, server.getAttribute(name, "Failed"));
        assertEquals(0L, server.getAttribute(name, "Queued"));
        assertEquals(Boolean.TRUE, server.getAttribute(name, "Connected"));
        handler.close();
        assertFalse(server.isRegistered(name), "unregistered at close");
    }

    @Test
    void furtherHandlersOnOneTableGetInstanceNumbersAndANameFreedAtCloseIsReused() throws Exception {
        PostgresHandler first = handler();
        PostgresHandler second = handler();
        PostgresHandler third = handler();
        assertTrue(server.isRegistered(name("")));
        assertTrue(server.isRegistered(name(",instance=2")));
        assertTrue(server.isRegistered(name(",instance=3")));
        assertFalse(server.isRegistered(name(",instance=1")), "the first has no instance number");
        second.publish(new LogRecord(Level.INFO, "by-the-second"));
        assertEquals(0L, server.getAttribute(name(""), "Written"));
        assertEquals(1L, server.getAttribute(name(",instance=2"), "Written"));
        second.close();
        assertFalse(server.isRegistered(name(",instance=2")));
        assertTrue(server.isRegistered(name("")));
        assertTrue(server.isRegistered(name(",instance=3")));
        PostgresHandler fourth = handler();
        assertTrue(server.isRegistered(name(",instance=2")), "the freed name");
        first.close();
        third.close();
        fourth.close();
        assertEquals(0, server.queryNames(new ObjectName("stogger:type=PostgresHandler,name="
                + ObjectName.quote(fixture.table) + ",*"), null).size());
    }

    @Test
    void anUnconnectedHandlerSaysSo() throws Exception {
        TestSupport.captureStderr(() -> fixture.keep(new PostgresHandler(PostgresSettings.builder()
                .dsn("postgresql://app@127.0.0.1:1/logs").table(fixture.table).build()))
                .publish(new LogRecord(Level.INFO, "dropped")));
        assertEquals(Boolean.FALSE, server.getAttribute(name(""), "Connected"));
        assertEquals(1L, server.getAttribute(name(""), "Dropped"));
        assertEquals(1L, server.getAttribute(name(""), "LostDatabaseUnreachable"));
    }
}
