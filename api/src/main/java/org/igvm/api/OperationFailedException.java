package org.igvm.api;

/** A step on a hypervisor or host failed; whatever the operation had done was undone. */
public class OperationFailedException extends IgvmException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.OPERATION_FAILED;
    }
}
