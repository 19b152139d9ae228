package org.igvm.domain.spi.transport;

/**
 * The VM being migrated, as a transport sees it.
 *
 * @param hostname the VM's inventory hostname, e.g. {@code web01.example.net}
 * @param domainName its libvirt domain name on the source ({@code <objectId>_<hostname>})
 * @param objectId its inventory object id
 * @param running whether it was running when the migration started
 * @param memoryMiB its memory
 * @param vcpus its virtual CPUs
 * @since 0.2
 */
public record TransportVm(
        String hostname, String domainName, long objectId, boolean running, long memoryMiB, int vcpus) {}
