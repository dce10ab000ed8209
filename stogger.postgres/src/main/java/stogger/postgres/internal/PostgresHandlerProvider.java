package stogger.postgres.internal;

import java.util.logging.Handler;
import stogger.core.StoggerConfig;
import stogger.core.spi.HandlerProvider;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;

/**
 * The {@code postgres} target for {@link stogger.core.Stogger#init()}: a {@link PostgresHandler}
 * built from the stogger configuration (DSN, table, password) and the handler's other keys.
 */
public final class PostgresHandlerProvider implements HandlerProvider {

    /** Needed by ServiceLoader. */
    public PostgresHandlerProvider() {
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Handler create(StoggerConfig config) {
        return new PostgresHandler(PostgresSettings.fromStoggerConfig(config));
    }
}
