package org.igvm.domain.command;

import java.util.List;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.vm.VmPlacement;

/** Resolves the VM a command names and applies the rules every command shares (spec §2). */
final class VmResolver {
    private final CommandEnvironment env;

    VmResolver(CommandEnvironment env) {
        this.env = env;
    }

    /** The VM and its hypervisor; a retired VM is refused unless the command allows it. */
    VmPlacement resolve(String name, String command, boolean allowRetired) {
        ServerObject vm = env.lookup().vm(name);
        if (!allowRetired && "retired".equals(vm.state())) {
            throw new RefusedException(vm.hostname() + " is retired; " + command
                    + " refuses retired VMs (set its state first: "
                    + SuggestedCommand.igvm("inventory", "set", vm.hostname(), "state=online") + ")");
        }
        String hv = vm.string("hypervisor");
        if (hv == null || hv.isEmpty()) {
            return new VmPlacement(vm, null);
        }
        List<ServerObject> hypervisors =
                env.inventory().query(Query.where("hostname", hv).and("servertype", "hypervisor"));
        if (hypervisors.isEmpty()) {
            throw new NotFoundException(vm.hostname() + "'s hypervisor " + hv
                    + " is not in the inventory; fix the VM's hypervisor attribute");
        }
        return new VmPlacement(vm, hypervisors.get(0));
    }

    /** Like {@link #resolve}, and the VM must have a hypervisor. */
    VmPlacement resolveOnHypervisor(String name, String command, boolean allowRetired) {
        VmPlacement placement = resolve(name, command, allowRetired);
        if (placement.hypervisor() == null) {
            throw new RefusedException(placement.hostname() + " has no hypervisor in the inventory; " + command
                    + " needs one (build the VM first)");
        }
        return placement;
    }

    /** The VM's inventory object as it is now (after locking, to see committed changes). */
    ServerObject reread(ServerObject vm) {
        return env.inventory()
                .get(vm.objectId())
                .orElseThrow(() -> new NotFoundException(vm.hostname() + " vanished from the inventory"));
    }
}
