package stogger.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.function.Consumer;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import stogger.core.spi.HandlerProvider;
import stogger.core.spi.TargetUnavailableException;

/**
 * The decision matrix behind {@link Stogger#init()}: installs the console target, then decides
 * about the PostgreSQL target from {@code enable_postgres}, the DSN, the password and whether a
 * provider is found. Every dependency is passed in, so tests can drive each path.
 */
final class Initializer {

    static final String CONSOLE = "console";
    static final String POSTGRES = "postgres";
    // ServiceLoader's iterator moves past a provider that fails; this bounds a broken one.
    private static final int MAX_PROVIDER_ERRORS = 100;

    private final ProviderLookup lookup;
    private final Consumer<String> diagnostics;

    Initializer(ProviderLookup lookup, Consumer<String> diagnostics) {
        this.lookup = lookup;
        this.diagnostics = diagnostics;
    }

    /** What one init installed on the root logger, so that shutdown can undo exactly that. */
    record Installation(InitResult result, List<Handler> installed, List<Handler> replaced) {
    }

    Installation install(StoggerConfig config, Logger root) {
        List<String> active = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Handler> installed = new ArrayList<>();
        List<Handler> replaced = new ArrayList<>();

        // JUL's default configuration puts a ConsoleHandler on the root logger; keeping it would
        // print every record twice.
        for (Handler existing : root.getHandlers()) {
            if (existing.getClass() == ConsoleHandler.class) {
                root.removeHandler(existing);
                replaced.add(existing);
            }
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new ConsoleFormatter());
        root.addHandler(console);
        installed.add(console);
        active.add(CONSOLE);

        String postgresSkipped = postgresSkipReason(config);
        if (postgresSkipped != null) {
            skipped.put(POSTGRES, postgresSkipped);
        } else {
            Handler handler = createPostgresHandler(config, skipped);
            if (handler != null) {
                root.addHandler(handler);
                installed.add(handler);
                active.add(POSTGRES);
            }
        }
        return new Installation(new InitResult(active, skipped), installed, replaced);
    }

    /** Why the PostgreSQL target is off before any provider is looked up, or null to go on. */
    private String postgresSkipReason(StoggerConfig config) {
        if (!config.enablePostgres()) {
            return StoggerConfig.ENABLE_POSTGRES + " is false";
        }
        if (config.postgresDsn() == null) {
            String reason = StoggerConfig.ENABLE_POSTGRES + " is true but " + StoggerConfig.POSTGRES_DSN
                    + " is not set";
            diagnostics.accept("PostgreSQL logging is enabled but " + StoggerConfig.POSTGRES_DSN
                    + " is not set; the PostgreSQL target is off, other targets continue");
            return reason;
        }
        if (config.passwordMissing()) {
            diagnostics.accept(StoggerConfig.POSTGRES_DSN + " contains " + StoggerConfig.PASSWORD_PLACEHOLDER
                    + " but the environment variable " + StoggerConfig.PASSWORD_VARIABLE
                    + " is not set; trying to connect without a password");
        }
        return null;
    }

    private Handler createPostgresHandler(StoggerConfig config, Map<String, String> skipped) {
        HandlerProvider provider = findProvider(POSTGRES);
        if (provider == null) {
            diagnostics.accept("PostgreSQL logging is enabled but the stogger.postgres module is not available"
                    + " (no HandlerProvider named '" + POSTGRES + "' on the module path or class path);"
                    + " other targets continue");
            skipped.put(POSTGRES, "stogger.postgres module not available");
            return null;
        }
        try {
            Handler handler = provider.create(config);
            if (handler == null) {
                throw new IllegalStateException("create returned null");
            }
            return handler;
        } catch (TargetUnavailableException e) {
            diagnostics.accept("the PostgreSQL target is off: " + e.getMessage() + "; other targets continue");
            skipped.put(POSTGRES, e.getMessage());
            return null;
        } catch (RuntimeException | LinkageError e) {
            diagnostics.accept("HandlerProvider '" + POSTGRES + "' (" + provider.getClass().getName()
                    + ") failed to create its handler: " + e + "; other targets continue");
            skipped.put(POSTGRES, "provider failed: " + e);
            return null;
        }
    }

    private HandlerProvider findProvider(String name) {
        HandlerProvider found = null;
        int errors = 0;
        Iterator<HandlerProvider> providers;
        try {
            providers = lookup.providers().iterator();
        } catch (ServiceConfigurationError | RuntimeException e) {
            diagnostics.accept("could not look up HandlerProviders: " + e);
            return null;
        }
        while (errors < MAX_PROVIDER_ERRORS) {
            HandlerProvider provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                errors++;
                diagnostics.accept("a HandlerProvider could not be loaded and is ignored: " + e);
                continue;
            }
            String providerName;
            try {
                providerName = provider.name();
            } catch (RuntimeException | LinkageError e) {
                errors++;
                diagnostics.accept("HandlerProvider " + provider.getClass().getName()
                        + " failed to report its name and is ignored: " + e);
                continue;
            }
            if (name.equals(providerName)) {
                if (found == null) {
                    found = provider;
                } else {
                    diagnostics.accept("several HandlerProviders are named '" + name + "'; using "
                            + found.getClass().getName() + ", ignoring " + provider.getClass().getName());
                }
            }
        }
        return found;
    }
}
