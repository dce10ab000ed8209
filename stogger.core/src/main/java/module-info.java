/**
 * stogger core: the structured event model for java.util.logging ({@link stogger.core.Fields},
 * {@link stogger.core.LogScope}), the {@link stogger.core.PostgresRenderer} that maps a
 * {@link java.util.logging.LogRecord} to a table row, {@link stogger.core.Stogger#init()} and the
 * {@link stogger.core.spi.HandlerProvider} SPI through which target modules such as
 * {@code stogger.postgres} are discovered.
 *
 * <p>This module has no I/O dependencies: it never requires {@code java.sql} or a driver.
 */
module stogger.core {
    requires transitive java.logging;
    requires transitive jakarta.json;

    exports stogger.core;
    exports stogger.core.spi;

    uses stogger.core.spi.HandlerProvider;
}
