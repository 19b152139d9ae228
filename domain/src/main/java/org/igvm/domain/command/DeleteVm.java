package org.igvm.domain.command;

import java.util.Optional;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm delete VM [--retire]}: removes a stopped VM's domain and volume from its hypervisor,
 * then deletes it from the inventory or marks it retired without a hypervisor. The volume goes
 * last on the hypervisor: until then every step can be undone.
 */
public final class DeleteVm {
    private static final Logger log = LoggerFactory.getLogger(DeleteVm.class);

    private final CommandEnvironment env;

    public DeleteVm(CommandEnvironment env) {
        this.env = env;
    }

    public void run(String name, boolean retire) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolve(name, "delete", true);
        env.operations().run("delete " + named.hostname(), op -> {
            Transaction tx = op.transaction();
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            if (vm.hypervisor() != null) {
                removeFromHypervisor(vm, tx, op);
            }
            ServerObject current = resolver.reread(vm.vm());
            if (retire) {
                env.inventory()
                        .commit(Commit.of(ObjectChange.set(current.objectId(), "state", current.state(), "retired")
                                .and("hypervisor", current.string("hypervisor"), null)));
                log.info("{} is retired", vm.hostname());
            } else {
                env.inventory().commit(Commit.deleting(current.objectId()));
                log.info("{} is deleted from the inventory", vm.hostname());
            }
            tx.commit();
        });
    }

    private void removeFromHypervisor(VmPlacement vm, Transaction tx, RunningOperation op) {
        String hv = vm.hypervisorName();
        Optional<DomainInfo> domain = env.hypervisors().findDomain(hv, vm.vm().objectId());
        if (domain.isPresent() && domain.get().isRunning()) {
            throw new RefusedException(vm.hostname() + " is running on " + hv + "; stop it first: "
                    + SuggestedCommand.igvm("stop", vm.hostname()));
        }
        DomainDefinitions definitions = new DomainDefinitions(env);
        String pool = definitions.pool(vm);
        Optional<VolumeInfo> volume =
                env.hypervisors().findVolume(hv, pool, vm.vm().objectId());
        if (domain.isPresent()) {
            String xml = env.hypervisors().definitionXml(hv, domain.get().name());
            env.hypervisors().undefine(hv, domain.get().name());
            tx.onRollback("define " + domain.get().name() + " again", () -> env.hypervisors()
                    .defineXml(hv, xml));
        }
        // The last chance to cancel: from here on the delete goes through.
        op.checkpoint();
        if (volume.isPresent()) {
            // The point of no return on the hypervisor; the inventory follows right after.
            env.hypervisors().deleteVolume(hv, pool, volume.get().name());
            log.info("deleted volume {} on {}", volume.get().name(), hv);
        }
    }
}
