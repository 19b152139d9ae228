package org.igvm.domain.command;

import java.time.Clock;
import org.igvm.domain.hypervisor.DomainSpecFactory;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.vm.VmLookup;

/**
 * What every command works with: the ports (inventory, hypervisors, host shells), the site
 * settings, the locks, the operations running in this process and the clock.
 */
public record CommandEnvironment(
        InventoryPort inventory,
        HypervisorPort hypervisors,
        SiteSettings settings,
        ObjectLocks locks,
        RunningOperations operations,
        HostShellPort shells,
        Clock clock) {

    public VmLookup lookup() {
        return new VmLookup(inventory);
    }

    public DomainSpecFactory domainSpecs() {
        return new DomainSpecFactory(settings.cpuFamilies());
    }
}
