package org.igvm.domain.command;

import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;

/**
 * {@code igvm restart VM [--force] [--no-redefine]}: stop, redefine the domain from the inventory,
 * start. On failure or cancellation the old definition is restored and a VM that ran is started
 * again.
 */
public final class RestartVm {
    private final CommandEnvironment env;

    public RestartVm(CommandEnvironment env) {
        this.env = env;
    }

    public void run(String name, boolean force, boolean noRedefine) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(name, "restart", false);
        env.operations().run("restart " + named.hostname(), op -> {
            restart(op, resolver, named, force, noRedefine);
        });
    }

    private void restart(
            RunningOperation op, VmResolver resolver, VmPlacement named, boolean force, boolean noRedefine) {
        Transaction tx = op.transaction();
        op.lock(resolver.reread(named.vm()));
        VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
        String hv = vm.hypervisorName();
        DomainInfo domain = StartVm.requireDomain(env, vm);
        DomainDefinitions definitions = new DomainDefinitions(env);
        VolumeInfo volume = definitions.volume(vm);
        PowerControl power = new PowerControl(env);
        op.checkpoint();
        if (domain.isRunning()) {
            // Redefining from an inventory that disagrees would silently resize the VM.
            ResourceAgreement.require(vm.vm(), domain, volume);
            power.stop(vm, domain.name(), force, tx);
            op.checkpoint();
        }
        String domainName = domain.name();
        if (!noRedefine) {
            String oldXml = env.hypervisors().definitionXml(hv, domain.name());
            DomainSpec spec = definitions.spec(vm, volume);
            op.checkpoint();
            if (!spec.name().equals(domain.name())) {
                // The VM was renamed: its domain gets the new uid name, the old one must go.
                env.hypervisors().undefine(hv, domain.name());
                tx.onRollback("define " + domain.name() + " again", () -> env.hypervisors()
                        .defineXml(hv, oldXml));
                op.checkpoint();
            }
            // Redefined in place, the domain keeps its UUID.
            env.hypervisors().define(hv, spec);
            tx.onRollback("restore the old definition of " + vm.hostname(), () -> {
                if (!spec.name().equals(domain.name())) {
                    env.hypervisors().undefine(hv, spec.name());
                } else {
                    env.hypervisors().defineXml(hv, oldXml);
                }
            });
            domainName = spec.name();
            op.checkpoint();
        }
        // Registered first: a start that fails half-way may still leave the domain running.
        String starting = domainName;
        tx.onRollback("force " + vm.hostname() + " off if it started", () -> power.forceOff(vm, starting));
        power.start(vm, domainName);
        op.checkpoint();
        tx.commit();
    }
}
