package org.igvm.domain.transport;

/**
 * What a transport moves: a VM's volume from the source hypervisor to an existing target volume of
 * at least the same size.
 */
public record DiskCopy(
        String vm,
        String sourceHypervisor,
        String sourceVolumePath,
        String targetHypervisor,
        String targetVolumePath,
        long sizeBytes,
        MigrationMode mode) {}
