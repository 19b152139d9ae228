package org.igvm.domain.command;

import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;

/**
 * The offline way to change a VM: shut it down if it runs, do what needs it off, redefine its
 * domain from the changed inventory object, start it again if it ran. Each step registers its undo,
 * so a failure starts the VM again with its old definition.
 */
final class Redefinition {
    /** What is done while the VM is off, before the redefinition; it registers its own undo. */
    interface WhileOff {
        void run();
    }

    private final CommandEnvironment env;

    Redefinition(CommandEnvironment env) {
        this.env = env;
    }

    /**
     * @param changed the VM as the inventory will have it (not committed yet)
     * @param domain the domain as it is now
     * @return the name of the redefined domain
     */
    String run(RunningOperation op, VmPlacement changed, DomainInfo domain, VolumeInfo volume, WhileOff whileOff) {
        return run(op, changed, changed, domain, volume, whileOff);
    }

    /**
     * Like {@link #run(RunningOperation, VmPlacement, DomainInfo, VolumeInfo, WhileOff)} for a VM
     * whose name changes: it is shut down (and started again by the undo) as {@code current}.
     */
    String run(
            RunningOperation op,
            VmPlacement current,
            VmPlacement changed,
            DomainInfo domain,
            VolumeInfo volume,
            WhileOff whileOff) {
        Transaction tx = op.transaction();
        String hv = changed.hypervisorName();
        PowerControl power = new PowerControl(env);
        boolean running = domain.isRunning();
        if (running) {
            power.stop(current, domain.name(), false, tx);
            op.checkpoint();
        }
        whileOff.run();
        op.checkpoint();
        String oldXml = env.hypervisors().definitionXml(hv, domain.name());
        DomainSpec spec = new DomainDefinitions(env).spec(changed, volume);
        op.checkpoint();
        if (!spec.name().equals(domain.name())) {
            // A renamed VM's domain gets the new uid name; the old definition must go.
            env.hypervisors().undefine(hv, domain.name());
            tx.onRollback("define " + domain.name() + " again", () -> env.hypervisors()
                    .defineXml(hv, oldXml));
            op.checkpoint();
        }
        env.hypervisors().define(hv, spec);
        tx.onRollback("restore the old definition of " + changed.hostname(), () -> {
            if (!spec.name().equals(domain.name())) {
                env.hypervisors().undefine(hv, spec.name());
            } else {
                env.hypervisors().defineXml(hv, oldXml);
            }
        });
        op.checkpoint();
        if (running) {
            // Registered first: a start that fails half-way may still leave the domain running.
            tx.onRollback(
                    "force " + changed.hostname() + " off if it started", () -> power.forceOff(changed, spec.name()));
            power.start(changed, spec.name());
            op.checkpoint();
        }
        return spec.name();
    }
}
