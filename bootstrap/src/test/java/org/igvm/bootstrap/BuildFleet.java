package org.igvm.bootstrap;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.IgvmService;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.command.BuildVm;
import org.igvm.domain.command.CleanCert;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * The example fleet on the test driver for builds: new01 (no hypervisor, placement takes hv02,
 * where there is memory left), the build's hosts faked by {@link BuildHosts}, an image server
 * with bookworm's image, a clock that runs fast (every wait ends at once) and optionally the
 * {@link FaultAtStep} harness around every port.
 */
final class BuildFleet implements AutoCloseable {
    static final String HV1 = "hv01.example.net";
    static final String HV2 = "hv02.example.net";
    static final String POOL = "xen-data";
    static final String NEW01 = "new01.example.net";
    static final long NEW01_ID = 4250;
    static final String IMAGE_URL = "http://images.test/{os}-base.tar.gz";
    static final String BOOKWORM_URL = "http://images.test/bookworm-base.tar.gz";
    static final String CACHED = "/tmp/bookworm-base.tar.gz";
    static final byte[] IMAGE = "a bookworm image, gzipped tar".getBytes(StandardCharsets.UTF_8);

    final TestFleet fleet;
    /** The type the xen-data pools claim to have (e.g. {@code logical}); null for the driver's {@code dir}. */
    volatile String poolType;

    final BuildHosts hosts;
    BuildSettings settings = BuildSettings.defaults()
            .withImageUrl(IMAGE_URL)
            .withWaits(Duration.ofMinutes(3), Duration.ofMillis(5), Duration.ofMillis(1));

    BuildFleet(Path dir) throws Exception {
        fleet = TestFleet.create(dir, Map.of());
        hosts = new BuildHosts(
                address -> fleet.inventory().query(Query.where("intern_ip", address)).stream()
                        .filter(vm -> vm.string("hypervisor") != null)
                        .findFirst()
                        .map(vm -> new BuildHosts.Guest(vm.string("hypervisor"), vm.objectId()))
                        .orElse(null),
                fleet.hypervisors(),
                POOL);
        hosts.serve(BOOKWORM_URL, IMAGE);
    }

    BuildVm build() {
        return new BuildVm(env(), placementSettings(), settings);
    }

    CleanCert cleanCert() {
        return new CleanCert(env(), settings);
    }

    /** The build with every port call counted by the harness, which this sets. */
    BuildVm build(AtomicReference<FaultAtStep> harness, int step, Fault fault) {
        FaultAtStep h = FaultAtStep.over(env(), step, fault);
        harness.set(h);
        return new BuildVm(h.environment(), placementSettings(), settings);
    }

    /** The API over these ports, with the build's settings (rename and clean-cert use them). */
    IgvmService igvm() {
        return new IgvmService(env(), null, null, null, null, null, build(), settings);
    }

    /** The API with every port call counted by the harness, which this sets. */
    IgvmService igvm(AtomicReference<FaultAtStep> harness, int step, Fault fault) {
        FaultAtStep h = FaultAtStep.over(env(), step, fault);
        harness.set(h);
        return new IgvmService(h.environment(), null, null, null, null, null, null, settings);
    }

    private PlacementSettings placementSettings() {
        return fleet.runtime.injector().getInstance(PlacementSettings.class);
    }

    CommandEnvironment env() {
        ObjectLocks locks =
                new ObjectLocks(fleet.inventory(), Clock.systemUTC(), LockOwner.current(), Duration.ofHours(1));
        return new CommandEnvironment(
                fleet.inventory(),
                poolTyped(fleet.hypervisors()),
                fleet.runtime.injector().getInstance(SiteSettings.class),
                locks,
                new RunningOperations(locks),
                hosts,
                ResizeFleet.fastClock());
    }

    /** The driver, its pools of {@link #poolType} when that is set. */
    private HypervisorPort poolTyped(HypervisorPort real) {
        return (HypervisorPort) java.lang.reflect.Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    String type = poolType;
                    return type != null && result instanceof StoragePoolInfo info
                            ? new StoragePoolInfo(info.name(), type, info.capacityBytes(), info.availableBytes())
                            : result;
                });
    }

    HypervisorPort hypervisors() {
        return fleet.hypervisors();
    }

    ServerObject object(String hostname) {
        return fleet.object(hostname);
    }

    Optional<DomainInfo> domain(String hv, long objectId) {
        return hypervisors().findDomain(hv, objectId);
    }

    Optional<VolumeInfo> volume(String hv, long objectId) {
        return hypervisors().findVolume(hv, POOL, objectId);
    }

    @Override
    public void close() {
        fleet.close();
    }
}
