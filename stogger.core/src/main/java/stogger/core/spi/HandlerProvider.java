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
     * <p>When the server cannot be reached for now, this method still returns a handler, one that
     * recovers by itself once it can. When the configuration means the target can never write
     * (a value that cannot be parsed), it throws {@link TargetUnavailableException} naming the
     * key and the problem, and {@link stogger.core.Stogger#init()} lists the target as skipped.
     * It throws nothing else; callers still guard against a misbehaving provider.
     *
     * @param config the configuration read by {@link stogger.core.Stogger#init()}; never null
     * @return a handler ready to be attached to a logger; never null
     * @throws TargetUnavailableException when the configuration can never work
     */
    Handler create(StoggerConfig config);
}
