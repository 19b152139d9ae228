package org.igvm.domain;

import org.igvm.api.BuildProgress;
import org.igvm.api.BuildRequest;
import org.igvm.api.BuildResult;
import org.igvm.api.ChangeAddressRequest;
import org.igvm.api.ChangeResult;
import org.igvm.api.CleanCertRequest;
import org.igvm.api.CleanCertResult;
import org.igvm.api.DeleteRequest;
import org.igvm.api.DiskSetRequest;
import org.igvm.api.EvacuateRequest;
import org.igvm.api.EvacuationResult;
import org.igvm.api.Igvm;
import org.igvm.api.Inventory;
import org.igvm.api.Locks;
import org.igvm.api.MemSetRequest;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationPlan;
import org.igvm.api.MigrationResult;
import org.igvm.api.Placement;
import org.igvm.api.RenameRequest;
import org.igvm.api.RenameResult;
import org.igvm.api.RestartRequest;
import org.igvm.api.StopRequest;
import org.igvm.api.SyncReport;
import org.igvm.api.TransportCatalog;
import org.igvm.api.VcpuSetRequest;
import org.igvm.api.VmInfo;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.command.BuildVm;
import org.igvm.domain.command.ChangeAddress;
import org.igvm.domain.command.CleanCert;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.DefineVm;
import org.igvm.domain.command.DeleteVm;
import org.igvm.domain.command.EvacuateHypervisor;
import org.igvm.domain.command.GrowDisk;
import org.igvm.domain.command.MigrateVm;
import org.igvm.domain.command.RenameVm;
import org.igvm.domain.command.RestartVm;
import org.igvm.domain.command.SetMemory;
import org.igvm.domain.command.SetVcpus;
import org.igvm.domain.command.ShowVmInfo;
import org.igvm.domain.command.StartVm;
import org.igvm.domain.command.StopVm;
import org.igvm.domain.command.SyncVm;

/**
 * The domain's implementation of the {@link Igvm} facade: one command class per lifecycle
 * operation, and the facades of the other areas.
 */
public final class IgvmService implements Igvm {
    private final CommandEnvironment env;
    private final Inventory inventory;
    private final Placement placement;
    private final Locks locks;
    private final TransportCatalog transports;
    private final MigrateVm migrate;
    private final BuildVm build;
    private final BuildSettings buildSettings;

    public IgvmService(
            CommandEnvironment env,
            Inventory inventory,
            Placement placement,
            Locks locks,
            TransportCatalog transports) {
        this(env, inventory, placement, locks, transports, null);
    }

    /** The whole facade, with migration over the placement settings and transports of {@code migrate}. */
    public IgvmService(
            CommandEnvironment env,
            Inventory inventory,
            Placement placement,
            Locks locks,
            TransportCatalog transports,
            MigrateVm migrate) {
        this(env, inventory, placement, locks, transports, migrate, null, BuildSettings.defaults());
    }

    /**
     * The whole facade, with migration and build over the placement settings, transports and build
     * settings they were made with.
     */
    public IgvmService(
            CommandEnvironment env,
            Inventory inventory,
            Placement placement,
            Locks locks,
            TransportCatalog transports,
            MigrateVm migrate,
            BuildVm build,
            BuildSettings buildSettings) {
        this.env = env;
        this.migrate = migrate;
        this.build = build;
        this.buildSettings = buildSettings;
        this.inventory = inventory;
        this.placement = placement;
        this.locks = locks;
        this.transports = transports;
    }

    /**
     * The lifecycle commands alone, for tests and tools that drive commands on their own ports;
     * {@link #inventory()}, {@link #placement()} and {@link #locks()} then fail.
     */
    public IgvmService(CommandEnvironment env) {
        this(env, null, null, null, null);
    }

    @Override
    public void start(String vm) {
        new StartVm(env).run(vm);
    }

    @Override
    public void stop(StopRequest request) {
        new StopVm(env).run(request.vm(), request.force());
    }

    @Override
    public void restart(RestartRequest request) {
        new RestartVm(env).run(request.vm(), request.force(), !request.redefine());
    }

    @Override
    public void define(String vm) {
        new DefineVm(env).run(vm);
    }

    @Override
    public void delete(DeleteRequest request) {
        new DeleteVm(env).run(request.vm(), request.retire());
    }

    @Override
    public SyncReport sync(String vm) {
        return new SyncVm(env).run(vm);
    }

    @Override
    public MigrationResult migrate(MigrateRequest request) {
        return offered(migrate, "migrate").run(request);
    }

    @Override
    public MigrationPlan planMigration(MigrateRequest request) {
        return offered(migrate, "migrate").plan(request);
    }

    @Override
    public EvacuationResult evacuate(EvacuateRequest request) {
        return new EvacuateHypervisor(env, offered(migrate, "evacuate")).run(request);
    }

    @Override
    public BuildResult build(BuildRequest request, BuildProgress progress) {
        return offered(build, "build").run(request, progress == null ? BuildProgress.none() : progress);
    }

    @Override
    public CleanCertResult cleanCert(CleanCertRequest request) {
        return new CleanCert(env, buildSettings).run(request);
    }

    @Override
    public ChangeResult vcpuSet(VcpuSetRequest request) {
        return new SetVcpus(env).run(request);
    }

    @Override
    public ChangeResult memSet(MemSetRequest request) {
        return new SetMemory(env).run(request);
    }

    @Override
    public ChangeResult diskSet(DiskSetRequest request) {
        return new GrowDisk(env).run(request);
    }

    @Override
    public ChangeResult changeAddress(ChangeAddressRequest request) {
        return new ChangeAddress(env, migrate).run(request);
    }

    @Override
    public RenameResult rename(RenameRequest request) {
        return new RenameVm(env, buildSettings).run(request);
    }

    @Override
    public VmInfo info(String vm) {
        return new ShowVmInfo(env).run(vm);
    }

    @Override
    public Inventory inventory() {
        return offered(inventory, "inventory");
    }

    @Override
    public Placement placement() {
        return offered(placement, "placement");
    }

    @Override
    public Locks locks() {
        return offered(locks, "locks");
    }

    @Override
    public TransportCatalog transports() {
        return offered(transports, "transports");
    }

    private static <T> T offered(T facade, String area) {
        if (facade == null) {
            throw new IllegalStateException("this Igvm offers the lifecycle commands only, not " + area + "()");
        }
        return facade;
    }
}
