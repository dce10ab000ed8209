package stogger.core.spi;

/**
 * Thrown by {@link HandlerProvider#create} when the configuration means the target can never
 * write (for example a DSN that cannot be parsed or an invalid table name), as opposed to a
 * server that is unreachable for now, from which a handler recovers by itself.
 * {@link stogger.core.Stogger#init()} then lists the target as skipped with this message as the
 * reason, and reports it on stderr.
 */
public class TargetUnavailableException extends RuntimeException {

    /**
     * @param reason why the target cannot write, naming the configuration key and the problem
     */
    public TargetUnavailableException(String reason) {
        super(reason);
    }
}
