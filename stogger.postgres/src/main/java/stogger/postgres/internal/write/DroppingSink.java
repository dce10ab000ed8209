package stogger.postgres.internal.write;

import stogger.core.PostgresRow;
import stogger.postgres.internal.loss.LossLedger;
import stogger.postgres.internal.loss.LossReason;

/**
 * The sink of a handler whose settings can never write (no DSN, an invalid DSN or table): it
 * counts every row as lost ({@code not-configured}), and does nothing else. Chosen once, at
 * construction.
 */
public final class DroppingSink implements RowSink {

    private final LossLedger ledger;
    private final String reason;

    /**
     * @param ledger where the rows are counted
     * @param reason why the settings cannot write, naming the key
     */
    public DroppingSink(LossLedger ledger, String reason) {
        this.ledger = ledger;
        this.reason = reason;
    }

    @Override
    public void start() {
    }

    @Override
    public void accept(PostgresRow row) {
        ledger.lost(LossReason.NOT_CONFIGURED, row.timestamp(), reason);
    }

    @Override
    public boolean isConnected() {
        return false;
    }

    @Override
    public void close() {
    }
}
