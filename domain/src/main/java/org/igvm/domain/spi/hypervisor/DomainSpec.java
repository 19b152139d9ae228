package org.igvm.domain.spi.hypervisor;

import java.util.List;

/**
 * Everything a domain definition holds, derived from the inventory by igvm's domain-spec factory
 * (spec §5). The libvirt adapter renders it as domain XML; nothing here is libvirt syntax.
 */
public record DomainSpec(
        String name,
        HypervisorSettings settings,
        long memoryMiB,
        long maxMemoryMiB,
        int memorySlots,
        int vcpus,
        int maxVcpus,
        String cpuModel,
        int sockets,
        int coresPerSocket,
        List<GuestNumaCell> numaCells,
        List<VcpuPin> vcpuPins,
        String pool,
        String volume,
        String mac,
        Integer vlanTag,
        int ioWeight) {
    public DomainSpec {
        numaCells = List.copyOf(numaCells);
        vcpuPins = List.copyOf(vcpuPins);
    }

    /** A guest NUMA cell: its vCPUs, memory and the host node whose memory it prefers. */
    public record GuestNumaCell(int id, List<Integer> vcpus, long memoryMiB, int hostNode) {
        public GuestNumaCell {
            vcpus = List.copyOf(vcpus);
        }
    }

    /** vCPU {@code vcpu} runs only on the host CPUs in {@code cpuset}. */
    public record VcpuPin(int vcpu, String cpuset) {}
}
