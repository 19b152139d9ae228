package org.igvm.bootstrap;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.RestartRequest;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.IgvmService;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.MigrateVm;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * The example fleet on the test driver for the resource-change commands: the driver's gaps filled
 * ({@link DriverGaps}), fake guests and hypervisor mounts ({@link FakeHosts}), a clock that runs
 * fast so waits for a guest end at once, and optionally the {@link FaultAtStep} harness around
 * every port.
 */
final class ResizeFleet implements AutoCloseable {
    static final String HV1 = "hv01.example.net";
    static final String HV2 = "hv02.example.net";
    static final String POOL = "xen-data";

    final TestFleet fleet;
    final DriverGaps gaps;
    final FakeHosts hosts;

    ResizeFleet(Path dir) throws Exception {
        fleet = TestFleet.create(dir, Map.of());
        gaps = new DriverGaps(fleet.hypervisors());
        hosts = new FakeHosts(
                address -> fleet.inventory().query(Query.where("intern_ip", address)).stream()
                        .findFirst()
                        .map(vm -> new FakeHosts.Guest(vm.string("hypervisor"), vm.objectId()))
                        .orElse(null),
                gaps.port(),
                POOL);
        // Each guest's root file system fills the disk the inventory gives it.
        for (ServerObject vm : fleet.inventory().query(Query.where("servertype", "vm"))) {
            hosts.rootBytes.put(vm.objectId(), vm.integer("disk_size_gib", 0) * VolumeInfo.GIB);
        }
    }

    /** Each read of this clock is 20 s later than the one before: every wait times out at once. */
    static Clock fastClock() {
        AtomicLong calls = new AtomicLong();
        Instant start = Instant.now();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return start.plusSeconds(20 * calls.incrementAndGet());
            }
        };
    }

    /** The API over these ports. */
    IgvmService igvm() {
        return new IgvmService(env());
    }

    /** The API with every port call counted by the harness, which this sets. */
    IgvmService igvm(AtomicReference<FaultAtStep> harness, int step, Fault fault) {
        FaultAtStep h = FaultAtStep.over(env(), step, fault);
        harness.set(h);
        return new IgvmService(h.environment());
    }

    /** The API with migration (change-address --migrate) over these transports. */
    IgvmService igvm(TransportRegistry transports) {
        return withMigration(env(), transports);
    }

    /** The API with migration, every port and transport call counted by the harness, which this sets. */
    IgvmService igvm(AtomicReference<FaultAtStep> harness, int step, Fault fault, TransportRegistry transports) {
        FaultAtStep h = FaultAtStep.over(env(), step, fault);
        harness.set(h);
        return withMigration(h.environment(), transports);
    }

    private IgvmService withMigration(CommandEnvironment env, TransportRegistry transports) {
        MigrateVm migrate =
                new MigrateVm(env, fleet.runtime.injector().getInstance(PlacementSettings.class), transports);
        return new IgvmService(env, null, null, null, null, migrate);
    }

    private CommandEnvironment env() {
        ObjectLocks locks =
                new ObjectLocks(fleet.inventory(), Clock.systemUTC(), LockOwner.current(), Duration.ofHours(1));
        return new CommandEnvironment(
                fleet.inventory(),
                gaps.port(),
                fleet.runtime.injector().getInstance(SiteSettings.class),
                locks,
                new RunningOperations(locks),
                hosts,
                fastClock());
    }

    /** Redefines the VM's domain the way igvm defines it (the driver's own has no room to hot-add). */
    void redefineFromInventory(String vm) {
        fleet.runtime.igvm().restart(RestartRequest.builder(vm).build());
    }

    HypervisorPort hypervisors() {
        return gaps.port();
    }

    ServerObject object(String hostname) {
        return fleet.object(hostname);
    }

    Optional<VolumeInfo> volume(String hv, long objectId) {
        return hypervisors().findVolume(hv, POOL, objectId);
    }

    DomainState state(String hv, long objectId) {
        return fleet.domain(hv, objectId).state();
    }

    @Override
    public void close() {
        fleet.close();
    }
}
