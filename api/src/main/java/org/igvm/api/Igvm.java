package org.igvm.api;

/**
 * The operations igvm offers, for the CLI and for applications that embed igvm. Every method takes
 * the VM's hostname (a unique short name is enough), locks what it works on, runs as one
 * transaction, and reports failures as {@link IgvmException}s carrying the operator-facing
 * sentence.
 */
public interface Igvm {
    /** Powers the VM on. */
    void start(String vm);

    /** Shuts the VM down gracefully; {@code force} destroys it instead (or after the timeout). */
    void stop(String vm, boolean force);

    /** Stops the VM, redefines its domain from the inventory (unless {@code noRedefine}), starts it. */
    void restart(String vm, boolean force, boolean noRedefine);

    /** Re-creates the libvirt domain of an existing volume from the inventory and starts it. */
    void define(String vm);

    /**
     * Removes the VM from its hypervisor (domain and volume); deletes it from the inventory, or with
     * {@code retire} marks it retired and clears its hypervisor. Refuses a running VM.
     */
    void delete(String vm, boolean retire);

    /** Copies the actual CPUs, memory and disk size from the hypervisor into the inventory. */
    SyncReport sync(String vm);

    /** Runtime facts of the VM. Changes nothing. */
    VmInfo info(String vm);
}
