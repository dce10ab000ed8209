package stogger.postgres.internal;

import java.util.logging.Handler;
import stogger.core.StoggerConfig;
import stogger.core.spi.HandlerProvider;
import stogger.core.spi.TargetUnavailableException;
import stogger.postgres.PostgresHandler;
import stogger.postgres.PostgresSettings;
import stogger.postgres.internal.loss.StderrErrorManager;

/**
 * The {@code postgres} target for {@link stogger.core.Stogger#init()}: a {@link PostgresHandler}
 * built from the stogger configuration (DSN, table, password) and the handler's other keys.
 * Settings that can never write (a DSN or table name that cannot be parsed) give no handler but
 * a {@link TargetUnavailableException}, after their other problems are reported.
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
        PostgresSettings settings = PostgresSettings.fromStoggerConfig(config);
        if (settings.unusableReason() != null) {
            StderrErrorManager errors = new StderrErrorManager();
            for (String problem : settings.problems()) {
                if (!problem.startsWith(settings.unusableReason())) {
                    errors.error(problem, null, java.util.logging.ErrorManager.GENERIC_FAILURE);
                }
            }
            throw new TargetUnavailableException(settings.unusableReason());
        }
        return new PostgresHandler(settings);
    }
}
