package org.igvm.api;

/** What a VM is on its hypervisor. */
public enum VmStatus {
    /** The domain runs. */
    RUNNING,
    /** The domain is defined but not running. */
    STOPPED,
    /** No domain exists yet (never built, or deleted from the hypervisor). */
    NEW;

    /** The lower-case word used in output. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
