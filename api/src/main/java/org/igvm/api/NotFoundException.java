package org.igvm.api;

/** The named object does not exist, or a short name matched several objects. */
public class NotFoundException extends IgvmException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.NOT_FOUND;
    }
}
