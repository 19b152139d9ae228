package org.igvm.adapters.ssh;

/**
 * The connection under a command went away. Only idempotent work is retried on a new connection;
 * a command that is not fails with an {@link org.igvm.api.UnreachableException} saying so.
 */
final class ConnectionDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionDroppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
