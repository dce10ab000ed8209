/**
 * The service-provider interface through which target modules plug into
 * {@link stogger.core.Stogger#init()}.
 */
package stogger.core.spi;
