package org.igvm.api;

/**
 * Base of every failure igvm reports. The message is the one operator-facing sentence (what is
 * wrong and what to do); {@link #exitCode()} is stable so scripts can branch on it.
 */
public abstract class IgvmException extends RuntimeException {
    protected IgvmException(String message) {
        super(message);
    }

    protected IgvmException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code the CLI uses for this kind of failure. */
    public abstract int exitCode();
}
