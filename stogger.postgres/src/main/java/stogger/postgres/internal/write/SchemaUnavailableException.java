package stogger.postgres.internal.write;

import java.util.List;
import stogger.postgres.internal.connection.SetupFailure;

/**
 * The log table is missing (or cannot even be looked up) and this session may not create it:
 * {@code createTable = false}, no privilege, or a lock it would have to wait for. The connection
 * works; logging can start as soon as an owner has run the statements the message names.
 *
 * <p>The message is one line, meant to be shown whole: the table, the role, the reason (the
 * server's, or {@code createTable = false}) and the statements to run as an owner, separated by
 * {@code "; "}. The SQLState is the server's, or {@code 42P01} when no DDL was tried.
 */
public final class SchemaUnavailableException extends SetupFailure {

    private static final long serialVersionUID = 1L;

    private final List<String> ddl;
    private final List<String> grants;

    SchemaUnavailableException(String message, String sqlState, List<String> ddl, List<String> grants,
            Throwable cause) {
        super(message, sqlState, cause);
        this.ddl = List.copyOf(ddl);
        this.grants = List.copyOf(grants);
    }

    /**
     * What an owner must create, in order: {@code CREATE SCHEMA IF NOT EXISTS} (when the schema
     * is missing), {@code CREATE TABLE IF NOT EXISTS} and the {@code CREATE INDEX IF NOT EXISTS}
     * statements; empty when creating would not help (the schema cannot even be looked up).
     */
    public List<String> ddl() {
        return ddl;
    }

    /**
     * What an owner must grant so that this session's role can write once the table exists:
     * {@code USAGE} on a named schema, {@code INSERT} on the table, {@code USAGE} on its id
     * sequence; empty for a superuser. Part of the message too, after {@link #ddl()}.
     */
    public List<String> grants() {
        return grants;
    }
}
