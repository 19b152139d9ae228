package org.igvm.api;

/** The exit codes of the igvm command line, one per kind of failure. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An operation failed on a hypervisor or host; the transaction was rolled back. */
    public static final int OPERATION_FAILED = 1;
    /** Bad input: wrong arguments, malformed query, invalid size, unknown attribute. */
    public static final int INVALID_INPUT = 2;
    /** The named VM or hypervisor does not exist, or a short name matches several. */
    public static final int NOT_FOUND = 3;
    /** Someone else works on the object (lock held) or changed it meanwhile (newer data). */
    public static final int CONFLICT = 4;
    /** Inventory and hypervisor disagree; nothing was changed. */
    public static final int OUT_OF_SYNC = 5;
    /** A hypervisor or host could not be reached. */
    public static final int UNREACHABLE = 6;
    /** The request is valid but not allowed in the object's current state. */
    public static final int REFUSED = 7;
    /** The inventory could not be read or written. */
    public static final int INVENTORY_ERROR = 8;
    /** The operator (Ctrl-C, SIGTERM) or the embedding application cancelled; what was done is undone. */
    public static final int CANCELLED = 130;
    /** A bug in igvm: please report it with the output of -vv. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {}
}
