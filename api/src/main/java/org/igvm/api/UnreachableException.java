package org.igvm.api;

/** A hypervisor, host or the inventory server could not be reached. */
public class UnreachableException extends IgvmException {
    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.UNREACHABLE;
    }
}
