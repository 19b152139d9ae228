package org.igvm.domain.spi.hypervisor;

import java.util.List;

/** Live facts of a hypervisor read from libvirt. */
public record HypervisorFacts(
        String hostname, int cpus, long memoryMiB, long freeMemoryMiB, List<NumaNode> numaNodes, long libvirtVersion) {
    public HypervisorFacts {
        numaNodes = List.copyOf(numaNodes);
    }
}
