package stogger.core;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Sets up stogger's targets on the root logger of java.util.logging.
 *
 * <p>{@link #init()} reads {@link StoggerConfig#load()}, installs the console target (a
 * {@link java.util.logging.ConsoleHandler} with the {@link ConsoleFormatter}, replacing the
 * JDK's default ConsoleHandler on the root logger) and then decides about the PostgreSQL target:
 * <table>
 * <caption>Decision matrix</caption>
 * <tr><th>condition</th><th>outcome</th></tr>
 * <tr><td>{@code stogger.enable_postgres} false</td><td>no provider lookup at all</td></tr>
 * <tr><td>enabled, no {@code stogger.postgres_dsn}</td><td>one line on stderr; target off</td></tr>
 * <tr><td>enabled, no provider named {@code postgres}</td><td>one line on stderr naming the
 * missing stogger.postgres module; target off</td></tr>
 * <tr><td>enabled, provider found</td><td>its handler is attached to the root logger</td></tr>
 * <tr><td>DSN has {@code %PASSWORD%}, no {@code STOGGER_POSTGRES_PASSWORD}</td><td>a warning,
 * and the attempt goes on</td></tr>
 * <tr><td>a provider fails to load or throws</td><td>reported on stderr, never fatal</td></tr>
 * </table>
 * Diagnostics go to stderr, prefixed {@code stogger: }, never through java.util.logging.
 *
 * <p>Calling {@code init} again with the same configuration returns the first result and
 * installs nothing; with a different configuration it first undoes the previous installation,
 * so handlers are never installed twice. {@link #shutdown()} closes what {@code init}
 * installed. All methods are thread-safe.
 */
public final class Stogger {

    private static Initializer.Installation current;
    private static StoggerConfig currentConfig;

    private Stogger() {
    }

    /**
     * Reads the configuration and installs the targets.
     *
     * @return which targets are active and why others are not
     */
    public static synchronized InitResult init() {
        return init(StoggerConfig.load());
    }

    /**
     * Installs the targets for the given configuration.
     *
     * @param config the configuration; null means {@link StoggerConfig#defaults()}
     * @return which targets are active and why others are not
     */
    public static synchronized InitResult init(StoggerConfig config) {
        return init(config, ProviderLookup.serviceLoader(), Diagnostics::warn);
    }

    static synchronized InitResult init(StoggerConfig config, ProviderLookup lookup, Consumer<String> diagnostics) {
        StoggerConfig effective = config == null ? StoggerConfig.defaults() : config;
        if (current != null && effective.equals(currentConfig)) {
            return current.result();
        }
        shutdown();
        current = new Initializer(lookup, diagnostics).install(effective, Logger.getLogger(""));
        currentConfig = effective;
        return current.result();
    }

    /**
     * Removes and closes the handlers that {@link #init()} installed and puts back the console
     * handler it replaced. Does nothing when stogger is not initialised.
     */
    public static synchronized void shutdown() {
        if (current == null) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler handler : current.installed()) {
            root.removeHandler(handler);
            handler.close();
        }
        for (Handler handler : current.replaced()) {
            root.addHandler(handler);
        }
        current = null;
        currentConfig = null;
    }
}
