package org.igvm.api;

/** Inventory and hypervisor disagree on a VM's resources; nothing was changed. */
public class OutOfSyncException extends IgvmException {
    public OutOfSyncException(String message) {
        super(message);
    }

    public OutOfSyncException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.OUT_OF_SYNC;
    }
}
