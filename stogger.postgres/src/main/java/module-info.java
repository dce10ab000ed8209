/**
 * The PostgreSQL target of stogger: {@link stogger.postgres.PostgresHandler}, a
 * java.util.logging Handler that writes every record into a table, and the
 * {@code HandlerProvider} named {@code postgres} through which
 * {@link stogger.core.Stogger#init()} finds it.
 */
module stogger.postgres {
    requires transitive stogger.core;
    requires java.sql;
    requires java.management;
    // Only for COPY in async mode; without it (driver on the class path) batches use INSERT ... unnest.
    requires static org.postgresql.jdbc;

    exports stogger.postgres;

    provides stogger.core.spi.HandlerProvider with stogger.postgres.internal.PostgresHandlerProvider;
}
