package org.igvm.api;

/** Another igvm holds the lock, or the inventory changed since it was read. */
public class ConflictException extends IgvmException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.CONFLICT;
    }
}
