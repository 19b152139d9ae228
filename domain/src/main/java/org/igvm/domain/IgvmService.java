package org.igvm.domain;

import org.igvm.api.Igvm;
import org.igvm.api.SyncReport;
import org.igvm.api.VmInfo;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.DefineVm;
import org.igvm.domain.command.DeleteVm;
import org.igvm.domain.command.RestartVm;
import org.igvm.domain.command.ShowVmInfo;
import org.igvm.domain.command.StartVm;
import org.igvm.domain.command.StopVm;
import org.igvm.domain.command.SyncVm;

/** The domain's implementation of the {@link Igvm} facade: one command class per operation. */
public final class IgvmService implements Igvm {
    private final CommandEnvironment env;

    public IgvmService(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public void start(String vm) {
        new StartVm(env).run(vm);
    }

    @Override
    public void stop(String vm, boolean force) {
        new StopVm(env).run(vm, force);
    }

    @Override
    public void restart(String vm, boolean force, boolean noRedefine) {
        new RestartVm(env).run(vm, force, noRedefine);
    }

    @Override
    public void define(String vm) {
        new DefineVm(env).run(vm);
    }

    @Override
    public void delete(String vm, boolean retire) {
        new DeleteVm(env).run(vm, retire);
    }

    @Override
    public SyncReport sync(String vm) {
        return new SyncVm(env).run(vm);
    }

    @Override
    public VmInfo info(String vm) {
        return new ShowVmInfo(env).run(vm);
    }
}
