package org.igvm.domain.spi.hypervisor;

import java.util.List;
import java.util.Optional;

/**
 * What igvm does to a hypervisor's libvirt: domains, volumes and facts. Hypervisors are named by
 * their inventory hostname; the adapter maps that to a connection. A hypervisor that cannot be
 * reached is an {@link org.igvm.api.UnreachableException} naming it; a failing libvirt call is an
 * {@link org.igvm.api.OperationFailedException} with libvirt's reason.
 */
public interface HypervisorPort {
    /** CPUs, memory and NUMA layout, read live. */
    HypervisorFacts facts(String hypervisor);

    /** Every domain defined on the hypervisor. */
    List<DomainInfo> domains(String hypervisor);

    /**
     * The domain that belongs to the object id (its name starts with {@code <objectId>_}). Two such
     * domains is an {@link org.igvm.api.OperationFailedException} naming both.
     */
    Optional<DomainInfo> findDomain(String hypervisor, long objectId);

    /** Defines (or redefines) a persistent domain from the spec. */
    void define(String hypervisor, DomainSpec spec);

    /** The domain's current definition, to restore it on rollback. */
    String definitionXml(String hypervisor, String domainName);

    /** Defines a domain from a definition saved with {@link #definitionXml}. */
    void defineXml(String hypervisor, String xml);

    /** Removes the persistent definition of a stopped domain. */
    void undefine(String hypervisor, String domainName);

    /** Powers the domain on; returns when libvirt reports it running. */
    void start(String hypervisor, String domainName);

    /** Asks the guest to shut down (ACPI); returns at once. */
    void shutdown(String hypervisor, String domainName);

    /** Powers the domain off at once. */
    void destroy(String hypervisor, String domainName);

    /** The storage pool's capacity and free space. */
    StoragePoolInfo pool(String hypervisor, String pool);

    /**
     * The volume in the pool that belongs to the object id (name starts with {@code <objectId>_}).
     * Two such volumes is an {@link org.igvm.api.OperationFailedException} naming both.
     */
    Optional<VolumeInfo> findVolume(String hypervisor, String pool, long objectId);

    /** Creates a raw volume of the given size. */
    VolumeInfo createVolume(String hypervisor, String pool, String name, long capacityBytes);

    /** Deletes the volume. */
    void deleteVolume(String hypervisor, String pool, String name);

    /**
     * Moves the running domain from {@code sourceHypervisor} to {@code targetHypervisor} while it
     * runs (libvirt's live migration), and returns once it runs on the target; blocks for as long
     * as that takes. With {@link LiveMigrationOptions#nonSharedDisk()} the disks are copied along:
     * the target volumes must exist beforehand with the same names and at least the same sizes.
     * The source definition stays (it is never undefined by the migration): after a successful
     * migration the source holds the shut-off definition, which the caller removes once it has
     * committed the move.
     *
     * <p>{@link #migrationJob} on the source reports the progress meanwhile (from another thread),
     * and {@link #abortMigration} on the source ends it early: this call then fails, and the
     * domain keeps running on the source. A failure is an {@link
     * org.igvm.api.OperationFailedException} with libvirt's reason; the migration is a change, so
     * it is never run again after a dropped connection (that is an {@link
     * org.igvm.api.UnreachableException} saying its effect is unknown).
     *
     * @since 0.2
     */
    default void migrateLive(
            String sourceHypervisor, String domainName, String targetHypervisor, LiveMigrationOptions options) {
        throw new UnsupportedOperationException(
                "live migration is not supported by " + getClass().getName());
    }

    /**
     * The statistics of the domain's current job (a running migration): {@link
     * MigrationJob#none()} when no job runs or the domain is not active. Safe to call from any
     * thread while {@link #migrateLive} blocks; it changes nothing.
     *
     * @since 0.2
     */
    default MigrationJob migrationJob(String hypervisor, String domainName) {
        throw new UnsupportedOperationException(
                "migration statistics are not supported by " + getClass().getName());
    }

    /**
     * The statistics of the domain's last completed job on this hypervisor (on the target after a
     * live migration, with the measured {@link MigrationJob#downtime()}), kept for later readers;
     * empty when libvirt has none.
     *
     * @since 0.2
     */
    default Optional<MigrationJob> completedMigrationJob(String hypervisor, String domainName) {
        return Optional.empty();
    }

    /**
     * Aborts the domain's running job (a live migration started by {@link #migrateLive}); the
     * domain keeps running where it was. Without a running job it does nothing.
     *
     * @since 0.2
     */
    default void abortMigration(String hypervisor, String domainName) {
        throw new UnsupportedOperationException(
                "aborting a migration is not supported by " + getClass().getName());
    }

    /**
     * The running domain's live vCPU pinning: one entry per active vCPU, in vCPU order, with the
     * host CPUs it may run on as a libvirt cpuset ({@code "0-7,16-23"}); an unpinned vCPU has all
     * the host's CPUs.
     *
     * @since 0.2
     */
    default List<DomainSpec.VcpuPin> vcpuPinning(String hypervisor, String domainName) {
        throw new UnsupportedOperationException(
                "reading vCPU pinning is not supported by " + getClass().getName());
    }

    /**
     * Pins the running domain's vCPUs live (the persistent definition is not changed); vCPUs not
     * in {@code pins} keep their pinning.
     *
     * @since 0.2
     */
    default void pinVcpus(String hypervisor, String domainName, List<DomainSpec.VcpuPin> pins) {
        throw new UnsupportedOperationException(
                "pinning vCPUs is not supported by " + getClass().getName());
    }
    /**
     * Sets the domain's active vCPUs, live and in its persistent definition, up to the domain's
     * maximum; returns when libvirt has done it (a guest may still have to online a hot-added vCPU).
     *
     * @since 0.3
     */
    default void setVcpus(String hypervisor, String domainName, int count) {
        throw new UnsupportedOperationException(
                "changing vCPUs is not supported by " + getClass().getName());
    }

    /**
     * Hot-plugs one memory module (a DIMM) of {@code sizeMiB} into the running domain's guest NUMA
     * cell {@code guestNode}, live and in its persistent definition.
     *
     * @since 0.3
     */
    default void attachMemory(String hypervisor, String domainName, int guestNode, long sizeMiB) {
        throw new UnsupportedOperationException(
                "memory hot-plug is not supported by " + getClass().getName());
    }

    /**
     * Unplugs a memory module that {@link #attachMemory} added (the same cell and size), live and in
     * the persistent definition; the guest must release it, so this may fail.
     *
     * @since 0.3
     */
    default void detachMemory(String hypervisor, String domainName, int guestNode, long sizeMiB) {
        throw new UnsupportedOperationException(
                "memory unplug is not supported by " + getClass().getName());
    }

    /**
     * Changes the volume's capacity to {@code capacityBytes} (growing it, or shrinking it back to
     * what it was as an undo) and returns the volume as it is then.
     *
     * @since 0.3
     */
    default VolumeInfo resizeVolume(String hypervisor, String pool, String volume, long capacityBytes) {
        throw new UnsupportedOperationException(
                "resizing volumes is not supported by " + getClass().getName());
    }

    /**
     * Tells the running domain that its disk {@code target} (e.g. {@code vda}) now has {@code
     * capacityBytes} (libvirt's block resize), so the guest sees the new size.
     *
     * @since 0.3
     */
    default void resizeDisk(String hypervisor, String domainName, String target, long capacityBytes) {
        throw new UnsupportedOperationException("resizing a running domain's disk is not supported by "
                + getClass().getName());
    }

    /**
     * Makes libvirt read the pool's volumes again from its storage (libvirt's pool refresh), after
     * a volume was changed behind its back, e.g. renamed on the hypervisor's shell ({@code mv} in
     * a directory pool, {@code lvrename} in an LVM pool): libvirt has no volume rename.
     *
     * @since 0.4
     */
    default void refreshPool(String hypervisor, String pool) {
        throw new UnsupportedOperationException(
                "refreshing storage pools is not supported by " + getClass().getName());
    }
}
