package org.igvm.domain.command;

import java.util.Optional;
import org.igvm.api.VmInfo;
import org.igvm.api.VmStatus;
import org.igvm.domain.hypervisor.DomainInfo;
import org.igvm.domain.hypervisor.VolumeInfo;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.vm.VmPlacement;

/** {@code igvm info VM}: runtime facts from the hypervisor, falling back to the inventory. */
public final class ShowVmInfo {
    private final CommandEnvironment env;

    public ShowVmInfo(CommandEnvironment env) {
        this.env = env;
    }

    public VmInfo run(String name) {
        VmPlacement vm = new VmResolver(env).resolve(name, "info", false);
        ServerObject o = vm.vm();
        int numCpu = (int) o.integer("num_cpu", 0);
        long memory = o.integer("memory", 0);
        long disk = o.integer("disk_size_gib", 0);
        VmStatus status = VmStatus.NEW;
        if (vm.hypervisor() != null) {
            Optional<DomainInfo> domain = env.hypervisors().findDomain(vm.hypervisorName(), o.objectId());
            if (domain.isPresent()) {
                status = domain.get().isRunning() ? VmStatus.RUNNING : VmStatus.STOPPED;
                numCpu = domain.get().vcpus();
                memory = domain.get().memoryMiB();
            }
            Optional<VolumeInfo> volume = env.hypervisors()
                    .findVolume(vm.hypervisorName(), new DomainDefinitions(env).pool(vm), o.objectId());
            if (volume.isPresent()) {
                disk = volume.get().capacityGiB();
            }
        }
        return new VmInfo(
                o.hostname(),
                o.objectId(),
                vm.hypervisorName(),
                status,
                o.string("intern_ip"),
                o.strings("mac"),
                numCpu,
                memory,
                null,
                disk,
                null,
                null);
    }
}
