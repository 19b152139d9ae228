package org.igvm.api;

/** The request is valid, but the object's state does not allow it (retired, running, ...). */
public class RefusedException extends IgvmException {
    public RefusedException(String message) {
        super(message);
    }

    public RefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.REFUSED;
    }
}
