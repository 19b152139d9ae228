package org.igvm.api;

/** The caller's input is wrong (argument, size, query, attribute); nothing was changed. */
public class InvalidInputException extends IgvmException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.INVALID_INPUT;
    }
}
