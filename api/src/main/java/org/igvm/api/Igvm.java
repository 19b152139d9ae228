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

    /**
     * Moves the VM to another hypervisor, online or offline, with the disk transport asked for; with
     * {@link MigrateRequest#dryRun()} only decides and returns the plan. On failure or cancellation
     * the VM is on its source as before and nothing is left on the target.
     */
    MigrationResult migrate(MigrateRequest request);

    /** What {@link #migrate} would do: target and why, transport, mode, bytes, downtime. Changes nothing. */
    MigrationPlan planMigration(MigrateRequest request);

    /**
     * Empties a hypervisor: sets it {@code online_reserved} and migrates each of its VMs away, up to
     * {@link EvacuateRequest#parallel()} at once and {@link EvacuateRequest#maxPerTarget()} to one
     * target at once, along a plan made up front in which placement accounts for the VMs planned
     * before. A failing VM rolls back and the others go on; with {@link EvacuateRequest#dryRun()}
     * only the plan is made. Refuses, changing nothing, when some VM has no room and {@link
     * EvacuateRequest#partial()} is not set.
     *
     * @since 0.4
     */
    EvacuationResult evacuate(EvacuateRequest request);

    /**
     * Changes the VM's vCPUs: a running VM gets more live (up to its domain's maximum, re-pinned
     * per NUMA node); fewer, or more than the maximum, need {@link VcpuSetRequest#offline()}. The
     * same count as now changes nothing and says so in {@link ChangeResult#warnings()}.
     *
     * @since 0.3
     */
    ChangeResult vcpuSet(VcpuSetRequest request);

    /**
     * Changes the VM's memory: a running VM gets more live by memory hot-plug, in equal parts per
     * NUMA node; less needs {@link MemSetRequest#offline()}.
     *
     * @since 0.3
     */
    ChangeResult memSet(MemSetRequest request);

    /**
     * Grows the VM's disk and its root file system (live when it runs, on the hypervisor when it is
     * off); never shrinks it.
     *
     * @since 0.3
     */
    ChangeResult diskSet(DiskSetRequest request);

    /**
     * Gives the VM a new address in a route network its hypervisor serves: shuts it down, writes the
     * address into the guest, redefines the domain for the new network and starts it again.
     *
     * @since 0.3
     */
    ChangeResult changeAddress(ChangeAddressRequest request);

    /**
     * Gives the VM a new hostname (needs {@link RenameRequest#offline()} and Puppet enabled for
     * it): shuts it down, renames its volume and domain to the new uid name {@code
     * <object_id>_<new hostname>}, writes the name into the guest, runs Puppet for the new name,
     * starts it again if it ran and commits the hostname; then cleans the old name's Puppet
     * certificate (a failure there is a warning in {@link RenameResult#warnings()}). On failure or
     * cancellation the old name is restored everywhere and the VM runs again if it ran.
     *
     * @since 0.4
     */
    RenameResult rename(RenameRequest request);

    /**
     * Builds the VM on its hypervisor (the inventory's, or placement's choice) and starts it, as
     * the spec's build steps say: volume, file system, image, root file system, Puppet, domain,
     * inventory, start, SSH, postboot script. With {@link BuildRequest#dryRun()} only decides and
     * returns the plan. On failure or cancellation nothing is left behind: no domain, volume,
     * mount, Puppet certificate or inventory change.
     *
     * @param progress receives each step as it begins and ends, and the image download
     * @since 0.4
     */
    BuildResult build(BuildRequest request, BuildProgress progress);

    /**
     * {@link #build(BuildRequest, BuildProgress)} without progress.
     *
     * @since 0.4
     */
    default BuildResult build(BuildRequest request) {
        return build(request, BuildProgress.none());
    }

    /**
     * Revokes and deletes the host's certificate on its Puppet CA; a CA without one is a success
     * ({@link CleanCertResult#cleaned()} false).
     *
     * @since 0.4
     */
    CleanCertResult cleanCert(CleanCertRequest request);

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
