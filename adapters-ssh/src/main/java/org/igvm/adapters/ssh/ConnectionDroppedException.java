package org.igvm.adapters.ssh;

/** The connection under a command went away; the command is retried on a new connection. */
final class ConnectionDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionDroppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
