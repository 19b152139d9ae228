package org.igvm.domain.command;

import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.vm.VmPlacement;

/** {@code igvm start VM}: powers a defined, stopped VM on. */
public final class StartVm {
    private final CommandEnvironment env;

    public StartVm(CommandEnvironment env) {
        this.env = env;
    }

    public void run(String name) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement vm = resolver.resolveOnHypervisor(name, "start", false);
        env.operations().run("start " + vm.hostname(), op -> {
            op.lock(resolver.reread(vm.vm()));
            DomainInfo domain = requireDomain(env, vm);
            if (domain.isRunning()) {
                throw new RefusedException(vm.hostname() + " is already running on " + vm.hypervisorName());
            }
            op.checkpoint();
            new PowerControl(env).start(vm, domain.name());
            op.transaction().commit();
        });
    }

    static DomainInfo requireDomain(CommandEnvironment env, VmPlacement vm) {
        return env.hypervisors()
                .findDomain(vm.hypervisorName(), vm.vm().objectId())
                .orElseThrow(() -> new NotFoundException(vm.hostname() + " has no domain on " + vm.hypervisorName()
                        + "; define it with: " + SuggestedCommand.igvm("define", vm.hostname())));
    }
}
