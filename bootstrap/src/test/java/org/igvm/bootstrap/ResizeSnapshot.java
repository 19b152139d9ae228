package org.igvm.bootstrap;

import java.util.Optional;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * What a failed or refused change must leave as it was: the domain (its definition, state, live
 * vCPUs and memory), the volume, the VM's and its hypervisor's inventory objects (locks included).
 */
record ResizeSnapshot(
        String definition,
        DomainState state,
        int vcpus,
        long memoryMiB,
        Optional<VolumeInfo> volume,
        ServerObject vm,
        ServerObject hypervisor) {
    static ResizeSnapshot of(ResizeFleet f, String hv, String vm) {
        ServerObject o = f.object(vm);
        DomainInfo d = f.hypervisors().findDomain(hv, o.objectId()).orElseThrow();
        return new ResizeSnapshot(
                f.hypervisors().definitionXml(hv, d.name()),
                d.state(),
                d.vcpus(),
                d.memoryMiB(),
                f.volume(hv, o.objectId()),
                o,
                f.object(hv));
    }
}
