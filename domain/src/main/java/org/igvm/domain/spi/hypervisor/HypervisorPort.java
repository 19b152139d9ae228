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
}
