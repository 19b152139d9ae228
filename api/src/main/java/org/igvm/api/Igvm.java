package org.igvm.api;

/**
 * The operations igvm offers, for the CLI and for applications that embed igvm: the VM lifecycle
 * here, and the other areas through {@link #inventory()}, {@link #placement()} and {@link
 * #locks()}. Every lifecycle method takes the VM's hostname (a unique short name is enough), locks
 * what it works on, runs as one transaction, and reports failures as {@link IgvmException}s
 * carrying the operator-facing sentence. Commands with options take a request record built with
 * its builder, e.g. {@code igvm.restart(RestartRequest.builder("web01").force(true).build())}.
 */
public interface Igvm {
    /** Powers the VM on. */
    void start(String vm);

    /** Shuts the VM down gracefully, or destroys it with {@link StopRequest#force()}. */
    void stop(StopRequest request);

    /** Stops the VM, redefines its domain from the inventory (unless told not to), starts it. */
    void restart(RestartRequest request);

    /** Re-creates the libvirt domain of an existing volume from the inventory and starts it. */
    void define(String vm);

    /**
     * Removes the VM from its hypervisor (domain and volume); deletes it from the inventory, or with
     * {@link DeleteRequest#retire()} marks it retired and clears its hypervisor. Refuses a running VM.
     */
    void delete(DeleteRequest request);

    /** Copies the actual CPUs, memory and disk size from the hypervisor into the inventory. */
    SyncReport sync(String vm);

    /** Runtime facts of the VM. Changes nothing. */
    VmInfo info(String vm);

    /** Reading and changing the inventory: import, export, show, query, set. */
    Inventory inventory();

    /** Where placement would put a VM. */
    Placement placement();

    /** igvm's locks on VMs and hypervisors: their state, and breaking them. */
    Locks locks();

    /** The disk transports igvm found, built in and from plugin jars. */
    TransportCatalog transports();
}
