package stogger.postgres.internal.write;

import stogger.core.PostgresRow;
import stogger.postgres.internal.loss.Counters;

/**
 * The sink of a handler whose settings can never write (no DSN, an invalid DSN or table): it
 * counts every row as dropped, and does nothing else. Chosen once, at construction.
 */
public final class DroppingSink implements RowSink {

    private final Counters counters;

    public DroppingSink(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void start() {
    }

    @Override
    public void accept(PostgresRow row) {
        counters.dropped(1);
    }

    @Override
    public void flush() {
    }

    @Override
    public long queued() {
        return 0;
    }

    @Override
    public boolean isConnected() {
        return false;
    }

    @Override
    public void close() {
    }
}
