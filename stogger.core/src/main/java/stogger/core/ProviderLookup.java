package stogger.core;

import java.util.ServiceLoader;
import stogger.core.spi.HandlerProvider;

/**
 * Where {@link Stogger#init()} finds target providers: {@link ServiceLoader} in production, a
 * list of test doubles in tests.
 */
@FunctionalInterface
interface ProviderLookup {

    /**
     * The providers. Iterating may throw {@link java.util.ServiceConfigurationError} for a
     * provider that fails to load; the caller reports it and goes on with the next one.
     */
    Iterable<HandlerProvider> providers();

    static ProviderLookup serviceLoader() {
        return () -> ServiceLoader.load(HandlerProvider.class);
    }
}
