package org.igvm.transport.qemu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainSpec.VcpuPin;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * Two hypervisors in memory, with a live migration that behaves like libvirt's: while it "runs"
 * (until released or aborted) the job statistics come from {@link #jobs}; on success the domain
 * runs on the target (persistent) and is shut off on the source; an abort makes it fail and
 * leaves it on the source.
 */
final class FakeHypervisors implements HypervisorPort {
    final Map<String, HypervisorFacts> facts = new HashMap<>();
    /** hypervisor → domain name → state. */
    final Map<String, Map<String, DomainState>> domains = new ConcurrentHashMap<>();
    /** hypervisor → pool/volume → capacity. */
    final Map<String, Map<String, Long>> volumes = new ConcurrentHashMap<>();
    /** hypervisor → domain → live pinning. */
    final Map<String, Map<String, List<VcpuPin>>> pins = new ConcurrentHashMap<>();

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<LiveMigrationOptions> migrations = Collections.synchronizedList(new ArrayList<>());
    volatile Supplier<MigrationJob> jobs = MigrationJob::none;
    volatile MigrationJob completed;
    /** How long the migration runs unless released or aborted. */
    volatile long migrationMillis = 2500;
    /** When set, the migration fails with this reason (after the first sample). */
    volatile String failWith;
    /** When set, a failed migration leaves a paused transient domain on the target. */
    volatile boolean leaveTargetDomain;

    final CountDownLatch migrationStarted = new CountDownLatch(1);
    private final CountDownLatch aborted = new CountDownLatch(1);

    FakeHypervisors hypervisor(String name, int cpus, List<NumaNode> nodes) {
        facts.put(name, new HypervisorFacts(name, cpus, 65536, 32768, nodes, 9_000_000));
        domains.putIfAbsent(name, new ConcurrentHashMap<>());
        volumes.putIfAbsent(name, new ConcurrentHashMap<>());
        pins.putIfAbsent(name, new ConcurrentHashMap<>());
        return this;
    }

    @Override
    public HypervisorFacts facts(String hypervisor) {
        return facts.get(hypervisor);
    }

    @Override
    public List<DomainInfo> domains(String hypervisor) {
        return domains.get(hypervisor).entrySet().stream()
                .map(e -> new DomainInfo(e.getKey(), "uuid", e.getValue(), 2, 2, 1024, 1024))
                .toList();
    }

    @Override
    public Optional<DomainInfo> findDomain(String hypervisor, long objectId) {
        return domains(hypervisor).stream()
                .filter(d -> d.name().startsWith(objectId + "_"))
                .findFirst();
    }

    @Override
    public void define(String hypervisor, DomainSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String definitionXml(String hypervisor, String domainName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void defineXml(String hypervisor, String xml) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void undefine(String hypervisor, String domainName) {
        calls.add("undefine " + hypervisor + " " + domainName);
        domains.get(hypervisor).remove(domainName);
    }

    @Override
    public void start(String hypervisor, String domainName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown(String hypervisor, String domainName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void destroy(String hypervisor, String domainName) {
        calls.add("destroy " + hypervisor + " " + domainName);
        // the fake's leftover target domain is transient: destroying removes it
        domains.get(hypervisor).remove(domainName);
    }

    @Override
    public StoragePoolInfo pool(String hypervisor, String pool) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<VolumeInfo> findVolume(String hypervisor, String pool, long objectId) {
        return volumes.get(hypervisor).entrySet().stream()
                .filter(e -> e.getKey().startsWith(pool + "/" + objectId + "_"))
                .map(e -> new VolumeInfo(e.getKey().substring(pool.length() + 1), "/p/" + e.getKey(), e.getValue()))
                .findFirst();
    }

    @Override
    public VolumeInfo createVolume(String hypervisor, String pool, String name, long capacityBytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteVolume(String hypervisor, String pool, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void migrateLive(String sourceHv, String domainName, String targetHv, LiveMigrationOptions options) {
        calls.add("migrate " + sourceHv + " " + domainName + " " + targetHv);
        migrations.add(options);
        migrationStarted.countDown();
        boolean wasAborted;
        try {
            wasAborted = aborted.await(migrationMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException("the fake libvirt call is not interruptible", e);
        }
        if (wasAborted || failWith != null) {
            if (leaveTargetDomain) {
                domains.get(targetHv).put(domainName, DomainState.PAUSED);
            }
            throw new OperationFailedException("libvirt on " + sourceHv + " could not live-migrate domain "
                    + domainName + ": "
                    + (wasAborted ? "operation aborted: migration out job: canceled by client" : failWith));
        }
        domains.get(sourceHv).put(domainName, DomainState.SHUTOFF);
        domains.get(targetHv).put(domainName, DomainState.RUNNING);
        pins.get(targetHv).put(domainName, pins.get(sourceHv).get(domainName));
    }

    @Override
    public MigrationJob migrationJob(String hypervisor, String domainName) {
        return migrationStarted.getCount() == 0 && aborted.getCount() == 1 ? jobs.get() : MigrationJob.none();
    }

    @Override
    public Optional<MigrationJob> completedMigrationJob(String hypervisor, String domainName) {
        return Optional.ofNullable(completed);
    }

    @Override
    public void abortMigration(String hypervisor, String domainName) {
        calls.add("abortMigration " + hypervisor + " " + domainName);
        aborted.countDown();
    }

    @Override
    public List<VcpuPin> vcpuPinning(String hypervisor, String domainName) {
        return pins.get(hypervisor).get(domainName);
    }

    @Override
    public void pinVcpus(String hypervisor, String domainName, List<VcpuPin> newPins) {
        calls.add("pin " + hypervisor + " " + newPins);
        pins.get(hypervisor).put(domainName, List.copyOf(newPins));
    }
}
