package org.igvm.domain.command;

import java.util.List;
import org.igvm.api.NotFoundException;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.vm.VmPlacement;

/** Builds a VM's domain definition from the inventory (spec §5), never from the old domain. */
final class DomainDefinitions {
    private final CommandEnvironment env;

    DomainDefinitions(CommandEnvironment env) {
        this.env = env;
    }

    /** The storage pool holding the VM's volume: its override, else the site's pool. */
    String pool(VmPlacement vm) {
        String override = vm.vm().string("libvirt_pool_override");
        return override != null && !override.isEmpty()
                ? override
                : env.settings().forHypervisor(vm.hypervisorName()).storagePool();
    }

    /** The VM's volume; its absence is an error saying what to do. */
    VolumeInfo volume(VmPlacement vm) {
        String pool = pool(vm);
        return env.hypervisors()
                .findVolume(vm.hypervisorName(), pool, vm.vm().objectId())
                .orElseThrow(() -> new NotFoundException(vm.hostname() + " has no volume in pool " + pool + " on "
                        + vm.hypervisorName() + "; build it with: " + SuggestedCommand.igvm("build", vm.hostname())));
    }

    DomainSpec spec(VmPlacement vm, VolumeInfo volume) {
        HypervisorSettings settings = env.settings().forHypervisor(vm.hypervisorName());
        return env.domainSpecs()
                .create(
                        vm.vm(),
                        vm.hypervisor(),
                        vlanTag(vm.vm()),
                        env.hypervisors().facts(vm.hypervisorName()),
                        settings,
                        pool(vm),
                        volume.name());
    }

    private Integer vlanTag(ServerObject vm) {
        String network = vm.string("route_network");
        if (network == null || network.isEmpty()) {
            return null;
        }
        List<ServerObject> networks =
                env.inventory().query(Query.where("hostname", network).and("servertype", "route_network"));
        if (networks.isEmpty()) {
            throw new NotFoundException(vm.hostname() + "'s route network " + network + " is not in the inventory");
        }
        Long tag = networks.get(0).integer("vlan_tag");
        return tag == null ? null : tag.intValue();
    }
}
