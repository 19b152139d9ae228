package org.igvm.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.igvm.api.Igvm;
import org.igvm.api.Inventory;
import org.igvm.api.Locks;
import org.igvm.api.Placement;
import org.igvm.api.TransportCatalog;
import org.igvm.domain.IgvmService;
import org.igvm.domain.InventoryService;
import org.igvm.domain.LockService;
import org.igvm.domain.PlacementService;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.command.BuildVm;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.MigrateVm;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.FleetFormat;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * Wires the domain, which knows nothing of Guice, from the ports the adapter modules bind. An
 * embedding application installs this module with the adapter modules of its choice.
 */
public final class IgvmCoreModule extends AbstractModule {
    private final SiteSettings site;
    private final PlacementSettings placement;
    private final BuildSettings build;

    public IgvmCoreModule(SiteSettings site) {
        this(site, PlacementSettings.defaults());
    }

    public IgvmCoreModule(SiteSettings site, PlacementSettings placement) {
        this(site, placement, BuildSettings.defaults());
    }

    /** @since 0.4 */
    public IgvmCoreModule(SiteSettings site, PlacementSettings placement, BuildSettings build) {
        this.site = site;
        this.placement = placement;
        this.build = build;
    }

    @Override
    protected void configure() {
        bind(SiteSettings.class).toInstance(site);
        bind(PlacementSettings.class).toInstance(placement);
        bind(BuildSettings.class).toInstance(build);
        bind(Clock.class).toInstance(Clock.systemUTC());
        bind(FleetFormat.class).to(YamlFleetFormat.class);
    }

    @Provides
    @Singleton
    ObjectLocks objectLocks(InventoryPort inventory, Clock clock, SiteSettings settings) {
        return new ObjectLocks(
                inventory, clock, LockOwner.current(), settings.lockStaleAfter(), settings.lockHeartbeat());
    }

    @Provides
    @Singleton
    CommandEnvironment commandEnvironment(
            InventoryPort inventory,
            Provider<HypervisorPort> hypervisors,
            SiteSettings settings,
            ObjectLocks locks,
            RunningOperations operations,
            Provider<HostShellPort> shells,
            Clock clock) {
        // Hypervisors and hosts are wired on first use: reading the inventory needs neither.
        return new CommandEnvironment(
                inventory,
                LazyPort.of(HypervisorPort.class, hypervisors),
                settings,
                locks,
                operations,
                LazyPort.of(HostShellPort.class, shells),
                clock);
    }

    @Provides
    @Singleton
    RunningOperations runningOperations(ObjectLocks locks) {
        return new RunningOperations(locks);
    }

    @Provides
    HypervisorPlacement hypervisorPlacement(CommandEnvironment env, PlacementSettings settings) {
        return new HypervisorPlacement(env, settings);
    }

    @Provides
    @Singleton
    Inventory inventory(InventoryPort inventory, FleetFormat fleet) {
        return new InventoryService(inventory, fleet);
    }

    @Provides
    @Singleton
    Placement placement(HypervisorPlacement placement) {
        return new PlacementService(placement);
    }

    @Provides
    @Singleton
    Locks locks(InventoryPort inventory, ObjectLocks locks) {
        return new LockService(inventory, locks);
    }

    @Provides
    @Singleton
    Igvm igvm(
            CommandEnvironment env,
            Inventory inventory,
            Placement placement,
            Locks locks,
            TransportCatalog transports,
            MigrateVm migrate,
            BuildVm build,
            BuildSettings buildSettings) {
        // The catalog and the registry load the plugins only when first asked.
        return new IgvmService(env, inventory, placement, locks, transports, migrate, build, buildSettings);
    }

    @Provides
    BuildVm buildVm(CommandEnvironment env, PlacementSettings placement, BuildSettings settings) {
        return new BuildVm(env, placement, settings);
    }

    @Provides
    MigrateVm migrateVm(
            CommandEnvironment env,
            PlacementSettings settings,
            TransportRegistry transports,
            BuildSettings buildSettings) {
        return new MigrateVm(env, settings, transports, buildSettings);
    }
}
