package org.igvm.domain.command;

import org.igvm.api.RefusedException;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;

/**
 * {@code igvm define VM}: re-creates the domain of an existing volume from the inventory and starts
 * it. On failure or cancellation nothing stays defined.
 */
public final class DefineVm {
    private final CommandEnvironment env;

    public DefineVm(CommandEnvironment env) {
        this.env = env;
    }

    public void run(String name) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(name, "define", false);
        env.operations().run("define " + named.hostname(), op -> {
            Transaction tx = op.transaction();
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            String hv = vm.hypervisorName();
            env.hypervisors().findDomain(hv, vm.vm().objectId()).ifPresent(existing -> {
                throw new RefusedException(vm.hostname() + " is already defined on " + hv + " as " + existing.name()
                        + "; use " + SuggestedCommand.igvm("restart", vm.hostname()) + " to redefine it");
            });
            DomainDefinitions definitions = new DomainDefinitions(env);
            VolumeInfo volume = definitions.volume(vm);
            DomainSpec spec = definitions.spec(vm, volume);
            op.checkpoint();
            env.hypervisors().define(hv, spec);
            tx.onRollback("undefine " + spec.name() + " on " + hv, () -> env.hypervisors()
                    .undefine(hv, spec.name()));
            PowerControl power = new PowerControl(env);
            VmPlacement defined = vm;
            tx.onRollback("force off " + spec.name(), () -> env.hypervisors()
                    .findDomain(hv, defined.vm().objectId())
                    .filter(d -> d.isRunning())
                    .ifPresent(d -> env.hypervisors().destroy(hv, d.name())));
            op.checkpoint();
            power.start(vm, spec.name());
            op.checkpoint();
            tx.commit();
        });
    }
}
