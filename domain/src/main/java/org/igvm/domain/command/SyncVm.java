package org.igvm.domain.command;

import java.util.List;
import org.igvm.api.AttributeDifference;
import org.igvm.api.SyncReport;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code igvm sync VM}: copies the actual CPUs, memory and disk size into the inventory. */
public final class SyncVm {
    private static final Logger log = LoggerFactory.getLogger(SyncVm.class);

    private final CommandEnvironment env;

    public SyncVm(CommandEnvironment env) {
        this.env = env;
    }

    public SyncReport run(String name) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(name, "sync", false);
        return env.operations().run("sync " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            ServerObject current = resolver.reread(named.vm());
            VmPlacement vm = new VmPlacement(current, named.hypervisor());
            DomainInfo domain = StartVm.requireDomain(env, vm);
            VolumeInfo volume = new DomainDefinitions(env).volume(vm);
            List<AttributeDifference> diffs = ResourceAgreement.differences(current, domain, volume);
            op.checkpoint();
            if (!diffs.isEmpty()) {
                ObjectChange change = null;
                for (AttributeDifference d : diffs) {
                    Long actual = Long.parseLong(d.hypervisorValue());
                    Object old = current.get(d.attribute());
                    change = change == null
                            ? ObjectChange.set(current.objectId(), d.attribute(), old, actual)
                            : change.and(d.attribute(), old, actual);
                    log.info("{}: {} {} -> {}", vm.hostname(), d.attribute(), d.inventoryValue(), d.hypervisorValue());
                }
                env.inventory().commit(Commit.of(change));
            }
            return new SyncReport(vm.hostname(), diffs);
        });
    }
}
