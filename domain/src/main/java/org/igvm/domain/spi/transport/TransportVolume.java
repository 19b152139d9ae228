package org.igvm.domain.spi.transport;

/**
 * One volume of the VM and where it goes. The migrate flow has created the target volume (same
 * pool, name and size) before {@link DiskTransportFactory#create}, and deletes it if the migration
 * fails; the source volume belongs to the source until the migration has committed, and no
 * transport ever writes to it.
 *
 * @param name the volume's name in its pool, the same on both sides
 * @param pool the storage pool's name, the same on both sides
 * @param sourcePath the volume's path on the source hypervisor
 * @param targetPath the (already created, empty) volume's path on the target hypervisor
 * @param sizeBytes the volume's capacity in bytes
 * @param format libvirt's volume format, e.g. {@code raw} or {@code qcow2}
 * @param storage the kind of storage behind both paths
 * @since 0.2
 */
public record TransportVolume(
        String name,
        String pool,
        String sourcePath,
        String targetPath,
        long sizeBytes,
        String format,
        StorageKind storage) {}
