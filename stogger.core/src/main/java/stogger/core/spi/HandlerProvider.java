package stogger.core.spi;

import java.util.logging.Handler;
import stogger.core.StoggerConfig;

/**
 * A logging target that {@link stogger.core.Stogger#init()} can discover with
 * {@link java.util.ServiceLoader} and attach to the root logger.
 *
 * <p>A target module declares its implementation with {@code provides
 * stogger.core.spi.HandlerProvider with ...} in its module descriptor and with a
 * {@code META-INF/services/stogger.core.spi.HandlerProvider} file for class-path users.
 * Implementations need a public no-argument constructor and must be cheap to construct: the
 * expensive work (connecting, creating schema) belongs in {@link #create(StoggerConfig)}.
 */
public interface HandlerProvider {

    /**
     * The target's name, the same one that appears in {@link stogger.core.InitResult}: for
     * example {@code "postgres"} for the PostgreSQL target.
     *
     * @return a short, lowercase, constant name
     */
    String name();

    /**
     * Builds the target's handler from the stogger configuration.
     *
     * <p>This method must not throw: when the target cannot work (unreachable server, bad
     * configuration) it reports the problem on stderr and returns a handler that drops records,
     * counting them, or that recovers by itself later. Callers still guard against a misbehaving
     * provider.
     *
     * @param config the configuration read by {@link stogger.core.Stogger#init()}; never null
     * @return a handler ready to be attached to a logger; never null
     */
    Handler create(StoggerConfig config);
}
