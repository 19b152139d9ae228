package org.igvm.api;

/** The inventory could not be read or written. */
public class InventoryException extends IgvmException {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCodes.INVENTORY_ERROR;
    }
}
