package org.igvm.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
import org.igvm.domain.IgvmService;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * The example fleet on the test driver for the resource-change commands: the driver's gaps filled
 * ({@link DriverGaps}), fake guests and hypervisor mounts ({@link FakeHosts}), a clock that runs
 * fast so waits for a guest end at once, and optionally the {@link CancelAtStep} harness around
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
        return new IgvmService(env(null));
    }

    /** The API with every port call counted by the harness (set later, before the command runs). */
    IgvmService igvm(AtomicReference<CancelAtStep> harness, int step, CancelAtStep.Then then) {
        return new IgvmService(env(new Harness(harness, step, then)));
    }

    private record Harness(AtomicReference<CancelAtStep> ref, int step, CancelAtStep.Then then) {}

    private CommandEnvironment env(Harness harness) {
        AtomicReference<CancelAtStep> late = new AtomicReference<>();
        InventoryPort inventory = lazyWrap(InventoryPort.class, fleet.inventory(), late);
        HypervisorPort hypervisors = lazyWrap(HypervisorPort.class, gaps.port(), late);
        HostShellPort shells = lazyWrap(HostShellPort.class, hosts, late);
        ObjectLocks locks = new ObjectLocks(inventory, Clock.systemUTC(), LockOwner.current(), Duration.ofHours(1));
        RunningOperations operations = new RunningOperations(locks);
        if (harness != null) {
            CancelAtStep h = new CancelAtStep(operations, harness.step(), harness.then());
            late.set(h);
            harness.ref().set(h);
        }
        return new CommandEnvironment(
                inventory,
                hypervisors,
                fleet.runtime.injector().getInstance(SiteSettings.class),
                locks,
                operations,
                shells,
                fastClock());
    }

    private static <T> T lazyWrap(Class<T> port, T real, AtomicReference<CancelAtStep> harness) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, m, args) -> {
            T target = harness.get() == null ? real : harness.get().wrap(port, real);
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
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
