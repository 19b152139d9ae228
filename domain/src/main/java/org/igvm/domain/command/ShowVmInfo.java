package org.igvm.domain.command;

import java.util.Optional;
import org.igvm.api.VmInfo;
import org.igvm.api.VmStatus;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.vm.GuestUsage;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code igvm info VM}: runtime facts from the hypervisor, falling back to the inventory. */
public final class ShowVmInfo {
    private static final Logger log = LoggerFactory.getLogger(ShowVmInfo.class);

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
        GuestUsage usage = status == VmStatus.RUNNING && env.settings().guestLogins() ? guestUsage(o) : null;
        return new VmInfo(
                o.hostname(),
                o.objectId(),
                vm.hypervisorName(),
                status,
                o.string("intern_ip"),
                o.strings("mac"),
                numCpu,
                memory,
                usage == null ? null : usage.memoryFreeMiB(),
                disk,
                usage == null ? null : usage.diskFreeGiB(),
                usage == null ? null : usage.load());
    }

    /**
     * Asks the running VM itself, at its {@code intern_ip} (else its hostname). A VM that cannot be
     * asked costs one warning line: info shows everything else.
     */
    private GuestUsage guestUsage(ServerObject o) {
        String ip = o.string("intern_ip");
        String address = ip == null || ip.isEmpty() ? o.hostname() : ip;
        try (HostShell vm = env.shells().open(address)) {
            return GuestUsage.read(vm);
        } catch (RuntimeException e) {
            log.warn(
                    "could not read free memory, disk and load of {} at {}: {}", o.hostname(), address, e.getMessage());
            return null;
        }
    }
}
