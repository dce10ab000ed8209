/**
 * The sample application of the jlink runtime image: it logs through java.util.logging, and the
 * image's {@code conf/logging.properties} sends every record to PostgreSQL.
 */
module stogger.runtime {
    // stogger.core declares `uses HandlerProvider`, so service binding also puts stogger.postgres
    // in the boot layer, where LogManager can instantiate the handler named in logging.properties.
    requires stogger.core;
}
