package org.igvm.domain.vm;

import org.igvm.domain.inventory.ServerObject;

/** A VM and the hypervisor the inventory puts it on (null when it has none). */
public record VmPlacement(ServerObject vm, ServerObject hypervisor) {
    public String hostname() {
        return vm.hostname();
    }

    public String hypervisorName() {
        return hypervisor == null ? null : hypervisor.hostname();
    }

    public String uidName() {
        return UidName.of(vm.objectId(), vm.hostname());
    }
}
