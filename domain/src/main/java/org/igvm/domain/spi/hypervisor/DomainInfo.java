package org.igvm.domain.spi.hypervisor;

/** A libvirt domain as the hypervisor sees it now. */
public record DomainInfo(
        String name, String uuid, DomainState state, int vcpus, int maxVcpus, long memoryMiB, long maxMemoryMiB) {
    public boolean isRunning() {
        return state.isActive();
    }
}
