package org.igvm.domain.command;

import org.igvm.api.RefusedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.vm.VmPlacement;

/**
 * {@code igvm stop VM [--force]}: graceful shutdown, or destroy with force or after the timeout. A
 * stop cancelled while it waits for the guest starts the VM again.
 */
public final class StopVm {
    private final CommandEnvironment env;

    public StopVm(CommandEnvironment env) {
        this.env = env;
    }

    public void run(String name, boolean force) {
        VmResolver resolver = new VmResolver(env);
        VmPlacement vm = resolver.resolveOnHypervisor(name, "stop", true);
        env.operations().run("stop " + vm.hostname(), op -> {
            op.lock(resolver.reread(vm.vm()));
            DomainInfo domain = StartVm.requireDomain(env, vm);
            if (!domain.isRunning()) {
                throw new RefusedException(vm.hostname() + " is already stopped on " + vm.hypervisorName());
            }
            op.checkpoint();
            new PowerControl(env).stop(vm, domain.name(), force, op.transaction());
            op.transaction().commit();
        });
    }
}
