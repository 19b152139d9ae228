package org.igvm.transport.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.igvm.transport.qemu.FakeContext.DOMAIN;
import static org.igvm.transport.qemu.FakeContext.GIB;
import static org.igvm.transport.qemu.FakeContext.SOURCE;
import static org.igvm.transport.qemu.FakeContext.TARGET;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.igvm.api.CancelledException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainSpec.VcpuPin;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportSession;
import org.junit.jupiter.api.Test;

class TestQemuSession {
    private static final long MIB = 1024 * 1024;

    /** hv1: 8 CPUs on two nodes; hv2: 4 CPUs on two nodes; the VM runs on hv1 pinned to node 1 and unpinned. */
    private static FakeHypervisors fleet() {
        FakeHypervisors hv = new FakeHypervisors()
                .hypervisor(SOURCE, 8, List.of(new NumaNode(0, "0-3", 32768), new NumaNode(1, "4-7", 32768)))
                .hypervisor(TARGET, 4, List.of(new NumaNode(0, "0-1", 32768), new NumaNode(1, "2-3", 32768)));
        hv.domains.get(SOURCE).put(DOMAIN, DomainState.RUNNING);
        hv.volumes.get(SOURCE).put("pool/" + DOMAIN, 10 * GIB);
        hv.volumes.get(TARGET).put("pool/" + DOMAIN, 10 * GIB);
        hv.pins.get(SOURCE).put(DOMAIN, List.of(new VcpuPin(0, "0-7"), new VcpuPin(1, "4-7")));
        hv.jobs = () -> new MigrationJob(
                MigrationJob.Type.UNBOUNDED,
                Duration.ofSeconds(1),
                11 * GIB,
                5 * GIB,
                6 * GIB,
                GIB,
                GIB / 4,
                3 * GIB / 4,
                20 * MIB,
                10 * GIB,
                4 * GIB,
                6 * GIB,
                80 * MIB,
                -1);
        return hv;
    }

    private static TransportSession session(FakeContext context) {
        return new QemuTransportFactory().create(context);
    }

    @Test
    void theFactoryIsOnlineOnlyForFilesAndLvmAndFoundByTheServiceLoader() {
        QemuTransportFactory f = new QemuTransportFactory();
        assertThat(f.name()).isEqualTo("qemu");
        assertThat(f.modes()).containsExactly(MigrationMode.ONLINE);
        assertThat(f.storage()).containsExactlyInAnyOrder(StorageKind.FILE, StorageKind.LVM);
        assertThat(java.util.ServiceLoader.load(org.igvm.domain.spi.plugin.IgvmPlugin.class).stream()
                        .map(p -> p.get().diskTransports().iterator().next().name()))
                .contains("qemu");
    }

    @Test
    void thePhasesReducePinningMigrateWithProgressAndRepinForTheTarget() throws Exception {
        FakeHypervisors hv = fleet();
        hv.completed = new MigrationJob(
                MigrationJob.Type.COMPLETED, Duration.ofSeconds(3), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42);
        FakeContext context = new FakeContext(hv, Map.of());
        context.bandwidth = OptionalLong.of(50 * MIB);
        try (TransportSession s = session(context)) {
            s.prepare();
            assertThat(hv.pins.get(SOURCE).get(DOMAIN))
                    .as("every vCPU limited to the CPUs both hosts have")
                    .containsExactly(new VcpuPin(0, "0-3"), new VcpuPin(1, "0-3"));
            assertThat(context.undo)
                    .extracting(Map.Entry::getKey)
                    .containsExactly("restore the vCPU pinning of " + DOMAIN + " on " + SOURCE);
            s.transfer();
            assertThat(hv.calls).noneMatch(c -> c.startsWith("migrate"));

            s.switchOver();

            assertThat(hv.domains.get(TARGET)).containsEntry(DOMAIN, DomainState.RUNNING);
            assertThat(hv.domains.get(SOURCE)).containsEntry(DOMAIN, DomainState.SHUTOFF);
            LiveMigrationOptions o = hv.migrations.get(0);
            assertThat(o.nonSharedDisk()
                            && o.autoConverge()
                            && o.abortOnError()
                            && o.persistDest()
                            && o.changeProtection())
                    .as("the spec's flags")
                    .isTrue();
            assertThat(o.peerToPeer()).isFalse();
            assertThat(o.bandwidthBytesPerSecond()).isEqualTo(50 * MIB);
            assertThat(context.progress)
                    .as("samples every second while the migration runs 2.5 s")
                    .contains("bytes " + 4 * GIB + "/" + 10 * GIB + " @" + 80 * MIB, "memory 25% @" + 20 * MIB);
            assertThat(context.progress.stream().filter(p -> p.startsWith("memory")))
                    .hasSizeBetween(1, 3);
            assertThat(context.downtimes).containsExactly(Duration.ofMillis(42));

            s.finish();
            assertThat(hv.pins.get(TARGET).get(DOMAIN))
                    .as("unpinned stays unpinned; the node-1 vCPU goes to the target's node 1")
                    .containsExactly(new VcpuPin(0, "0-3"), new VcpuPin(1, "2-3"));
        }
        assertThat(hv.calls).noneMatch(c -> c.startsWith("abortMigration") || c.startsWith("destroy"));
    }

    @Test
    void aMigrationFasterThanThePollPeriodStillReportsItsBytesAndMemoryFromTheCompletedJob() {
        FakeHypervisors hv = fleet();
        hv.migrationMillis = 0;
        hv.completed = new MigrationJob(
                MigrationJob.Type.COMPLETED,
                Duration.ofMillis(150),
                11 * GIB,
                11 * GIB,
                0,
                GIB,
                GIB,
                0,
                20 * MIB,
                10 * GIB,
                10 * GIB,
                0,
                80 * MIB,
                17);
        FakeContext context = new FakeContext(hv, Map.of());
        try (TransportSession s = session(context)) {
            s.prepare();
            s.transfer();
            s.switchOver();
            s.finish();
        }
        assertThat(context.progress)
                .contains("bytes " + 10 * GIB + "/" + 10 * GIB + " @" + 80 * MIB, "memory 100% @" + 20 * MIB);
        assertThat(context.downtimes).containsExactly(Duration.ofMillis(17));
    }

    @Test
    void cancellingAbortsTheJobAndLeavesTheVmOnTheSourceWithNothingOnTheTarget() throws Exception {
        FakeHypervisors hv = fleet();
        hv.migrationMillis = 30_000;
        hv.leaveTargetDomain = true;
        FakeContext context = new FakeContext(hv, Map.of());
        TransportSession s = session(context);
        s.prepare();
        Thread canceller = new Thread(() -> {
            try {
                hv.migrationStarted.await(10, TimeUnit.SECONDS);
                Thread.sleep(1200);
            } catch (InterruptedException e) {
                return;
            }
            context.cancellation.cancel();
        });
        canceller.start();
        long t0 = System.nanoTime();

        assertThatThrownBy(s::switchOver)
                .isInstanceOf(CancelledException.class)
                .hasMessageContaining("cancelled")
                .hasMessageContaining("the VM still runs on " + SOURCE);

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(hv.calls).contains("abortMigration " + SOURCE + " " + DOMAIN);
        s.abort();
        s.close();
        context.rollBack();
        assertThat(hv.domains.get(TARGET)).as("nothing on the target").isEmpty();
        assertThat(hv.domains.get(SOURCE)).containsEntry(DOMAIN, DomainState.RUNNING);
        assertThat(hv.pins.get(SOURCE).get(DOMAIN))
                .as("the rollback restored the pinning")
                .containsExactly(new VcpuPin(0, "0-7"), new VcpuPin(1, "4-7"));
    }

    @Test
    void aFailedMigrationSaysTheVmStillRunsOnTheSource() {
        FakeHypervisors hv = fleet();
        hv.failWith = "unable to connect to server";
        hv.migrationMillis = 100;
        FakeContext context = new FakeContext(hv, Map.of());
        try (TransportSession s = session(context)) {
            s.prepare();
            assertThatThrownBy(s::switchOver)
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessage("live migration of " + DOMAIN + " from hv1 to hv2 failed: libvirt on hv1 could not"
                            + " live-migrate domain " + DOMAIN + ": unable to connect to server; the VM still runs"
                            + " on hv1");
            s.abort();
        }
        assertThat(hv.domains.get(SOURCE)).containsEntry(DOMAIN, DomainState.RUNNING);
        assertThat(hv.domains.get(TARGET)).isEmpty();
    }

    @Test
    void abortAfterACompletedSwitchOverMovesTheVmBack() {
        FakeHypervisors hv = fleet();
        hv.migrationMillis = 50;
        FakeContext context = new FakeContext(hv, Map.of());
        try (TransportSession s = session(context)) {
            s.prepare();
            s.switchOver();
            assertThat(hv.domains.get(TARGET)).containsEntry(DOMAIN, DomainState.RUNNING);
            // The fake's migration goes one way only: move it back by hand in the fake's terms.
            hv.domains.get(SOURCE).remove(DOMAIN);
            s.abort();
        }
        assertThat(hv.calls).contains("migrate " + TARGET + " " + DOMAIN + " " + SOURCE);
        assertThat(hv.domains.get(SOURCE)).containsEntry(DOMAIN, DomainState.RUNNING);
        assertThat(hv.domains.get(TARGET))
                .as("the target's definition is removed")
                .isEmpty();
    }

    @Test
    void prepareRefusesAMissingOrSmallerTargetVolumeAndChangesNothing() {
        FakeHypervisors hv = fleet();
        hv.volumes.get(TARGET).clear();
        assertThatThrownBy(() -> session(new FakeContext(hv, Map.of())).prepare())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("the target volume pool/" + DOMAIN + " is missing on hv2");
        hv.volumes.get(TARGET).put("pool/" + DOMAIN, 9 * GIB);
        assertThatThrownBy(() -> session(new FakeContext(hv, Map.of())).prepare())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("less than the source's");
        assertThat(hv.calls).isEmpty();
    }

    @Test
    void prepareRefusesAStoppedVmAndADomainAlreadyOnTheTarget() {
        FakeHypervisors hv = fleet();
        hv.domains.get(TARGET).put(DOMAIN, DomainState.SHUTOFF);
        assertThatThrownBy(() -> session(new FakeContext(hv, Map.of())).prepare())
                .hasMessageContaining("hv2 has a domain " + DOMAIN + " of this VM already");
        hv.domains.get(TARGET).clear();
        hv.domains.get(SOURCE).put(DOMAIN, DomainState.SHUTOFF);
        assertThatThrownBy(() -> session(new FakeContext(hv, Map.of())).prepare())
                .hasMessageContaining("running VMs only");
    }

    @Test
    void pinningThatFitsBothHostsIsLeftAlone() {
        FakeHypervisors hv = fleet();
        hv.pins.get(SOURCE).put(DOMAIN, List.of(new VcpuPin(0, "0-1"), new VcpuPin(1, "2-3")));
        hv.migrationMillis = 50;
        FakeContext context = new FakeContext(hv, Map.of());
        try (TransportSession s = session(context)) {
            s.prepare();
            s.switchOver();
            s.finish();
        }
        assertThat(hv.calls).noneMatch(c -> c.startsWith("pin"));
        assertThat(context.undo).isEmpty();
    }

    @Test
    void theConfigSectionSetsPeerToPeerTlsDowntimeAndParallelConnections() {
        QemuSettings s = QemuSettings.read(new FakeContext.MapConfig(
                Map.of("p2p", true, "tls", true, "max_downtime_ms", 500L, "parallel_connections", 2)));
        LiveMigrationOptions o = s.options("hv2.example.net", 0);
        assertThat(o.peerToPeer()).isTrue();
        assertThat(o.targetUri()).isEqualTo("qemu+tls://hv2.example.net/system");
        assertThat(o.tls()).isTrue();
        assertThat(o.maxDowntime()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.parallelConnections()).isEqualTo(2);

        LiveMigrationOptions plain =
                QemuSettings.read(new FakeContext.MapConfig(Map.of())).options("hv2", 0);
        assertThat(plain).isEqualTo(LiveMigrationOptions.defaults());
        assertThat(QemuSettings.read(
                                new FakeContext.MapConfig(Map.of("p2p", true, "uri", "qemu+tcp://{target}/system")))
                        .options("hv2.lab", 0)
                        .targetUri())
                .isEqualTo("qemu+tcp://hv2.lab/system");
    }

    @Test
    void theConfigSectionRejectsUnknownKeysAndNonsense() {
        assertThatThrownBy(() -> QemuSettings.read(new FakeContext.MapConfig(Map.of("p2pp", true))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("p2pp");
        assertThatThrownBy(
                        () -> QemuSettings.read(new FakeContext.MapConfig(Map.of("uri", "qemu+tls://{target}/system"))))
                .hasMessageContaining("only used with transports.qemu.p2p: true");
        assertThatThrownBy(() -> QemuSettings.read(new FakeContext.MapConfig(Map.of("parallel_connections", 0))))
                .hasMessageContaining("parallel_connections must be 1..255");
    }

    @Test
    void pinningHelpers() {
        assertThat(VcpuPinning.reduce(List.of(new VcpuPin(0, "2-5,^3"), new VcpuPin(1, "6")), 4))
                .containsExactly(new VcpuPin(0, "2"), new VcpuPin(1, "0-3"));
        assertThat(VcpuPinning.forTarget(List.of(new VcpuPin(0, "0-1"), new VcpuPin(3, "12-15")), 16, 8, List.of()))
                .containsExactly(new VcpuPin(0, "0-1"), new VcpuPin(3, "0-7"));
    }

    @Test
    void progressLineForTheLog() {
        MigrationJob job = fleet().jobs.get();
        assertThat(QemuSession.describe(job)).isEqualTo("disk 40 %, memory 25 %, 100.0 MiB/s, 6144 MiB to go");
    }
}
