package org.igvm.api;

/**
 * The operation was cancelled (Ctrl-C, SIGTERM, a cancel handle, or the interruption of the thread
 * running it) and has rolled back what it had done.
 */
public final class CancelledException extends IgvmException {
    public CancelledException(String message) {
        super(message);
    }

    public CancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.CANCELLED;
    }
}
