package stogger.postgres.internal.loss;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import stogger.postgres.PostgresHandlerMXBean;
import stogger.postgres.internal.spool.SpoolStats;

/**
 * A handler's {@link PostgresHandlerMXBean}: reads the ledger, the queue and the connection state
 * live, and registers itself under a name unique in the platform MBeanServer.
 */
public final class HandlerMBean implements PostgresHandlerMXBean {

    private static final int MAX_INSTANCES = 1_000;

    private final LossLedger ledger;
    private final LongSupplier queued;
    private final BooleanSupplier connected;
    private final Supplier<String> lastError;
    private final Supplier<SpoolStats> spool;
    private ObjectName registered;

    public HandlerMBean(LossLedger ledger, LongSupplier queued, BooleanSupplier connected, Supplier<String> lastError) {
        this(ledger, queued, connected, lastError, () -> SpoolStats.NONE);
    }

    public HandlerMBean(LossLedger ledger, LongSupplier queued, BooleanSupplier connected, Supplier<String> lastError,
            Supplier<SpoolStats> spool) {
        this.ledger = ledger;
        this.queued = queued;
        this.connected = connected;
        this.lastError = lastError;
        this.spool = spool;
    }

    /**
     * Registers as {@code stogger:type=PostgresHandler,name=<table>}, adding {@code instance=N}
     * while that name is taken.
     *
     * @return the name registered under
     * @throws JMException when registration fails
     */
    public synchronized ObjectName register(String table) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StandardMBean bean = new StandardMBean(this, PostgresHandlerMXBean.class, true);
        String base = "stogger:type=PostgresHandler,name=" + ObjectName.quote(table);
        for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
            ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
            try {
                server.registerMBean(bean, name);
                registered = name;
                return name;
            } catch (InstanceAlreadyExistsException taken) {
                // the next instance number
            }
        }
        throw new InstanceAlreadyExistsException(base + " and " + MAX_INSTANCES + " instances of it");
    }

    /** Unregisters, if registered; never throws. */
    public synchronized void unregister() {
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException | RuntimeException e) {
            // Gone already; nothing to undo.
        }
        registered = null;
    }

    @Override
    public long getWritten() {
        return ledger.written();
    }

    @Override
    public long getDropped() {
        return ledger.dropped();
    }

    @Override
    public long getFailed() {
        return ledger.failed();
    }

    @Override
    public long getQueued() {
        return queued.getAsLong();
    }

    @Override
    public long getLostQueueFull() {
        return ledger.lost(LossReason.QUEUE_FULL);
    }

    @Override
    public long getLostDatabaseUnreachable() {
        return ledger.lost(LossReason.DATABASE_UNREACHABLE);
    }

    @Override
    public long getLostDatabaseRefused() {
        return ledger.lost(LossReason.DATABASE_REFUSED);
    }

    @Override
    public long getLostStatementFailed() {
        return ledger.lost(LossReason.STATEMENT_FAILED);
    }

    @Override
    public long getLostClosed() {
        return ledger.lost(LossReason.CLOSED);
    }

    @Override
    public long getLostNotConfigured() {
        return ledger.lost(LossReason.NOT_CONFIGURED);
    }

    @Override
    public long getLostSpoolFull() {
        return ledger.lost(LossReason.SPOOL_FULL);
    }

    @Override
    public long getLostSpoolFailed() {
        return ledger.lost(LossReason.SPOOL_FAILED);
    }

    @Override
    public long getLostSpoolDamaged() {
        return ledger.lost(LossReason.SPOOL_DAMAGED);
    }

    @Override
    public long getSpooled() {
        return spool.get().spooled();
    }

    @Override
    public long getSpoolBytes() {
        return spool.get().bytes();
    }

    @Override
    public long getOldestSpooledAgeMillis() {
        return spool.get().oldestAgeMillis();
    }

    @Override
    public long getReplayed() {
        return spool.get().replayed();
    }

    @Override
    public boolean isConnected() {
        return connected.getAsBoolean();
    }

    @Override
    public String getLastSuccess() {
        Instant last = ledger.lastSuccess();
        return last == null ? null : last.toString();
    }

    @Override
    public String getLastError() {
        return lastError.get();
    }
}
