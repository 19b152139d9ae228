package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.adapters.libvirt.LibvirtConfig;
import org.igvm.adapters.libvirt.LibvirtHypervisor;
import org.igvm.api.CancelledException;
import org.igvm.bootstrap.plugin.TransportConfigSection;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.spi.transport.UndoRegistry;
import org.igvm.transport.qemu.QemuTransportFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The qemu transport's session against the lab's real libvirtd + QEMU, through a minimal
 * {@link TransportContext} over {@link LibvirtHypervisor} (the full {@code igvm migrate} tests
 * come with the migrate flow): {@code vm1.lab} moves live from hv1 to hv2 into a pre-created
 * volume and keeps running (SSH, uptime); then a migration back that is cancelled at its first
 * progress sample leaves it running on hv2 with nothing on hv1. Afterwards the VM goes back to hv1
 * and is removed again, so the lab is as {@code igvm-lab up} left it (vm1's volume on hv1, no
 * domain), for the other lab tests.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabQemuTransport {
    private static final String VM = "vm1.lab";
    private static final String DOMAIN = "5001_vm1.lab";
    private static final long OBJECT_ID = 5001;
    private static final String HV1 = "hv1.lab";
    private static final String HV2 = "hv2.lab";
    private static final String POOL = "xen-data";

    private final Lab lab = new Lab();
    private LibvirtHypervisor libvirt;
    private long volumeBytes;

    @BeforeAll
    void vm1RunsOnHv1() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        libvirt = new LibvirtHypervisor(new LibvirtConfig("qemu+tcp://{hostname}/system", "", Map.of()));
        Optional<VolumeInfo> volume = libvirt.findVolume(HV1, POOL, OBJECT_ID);
        Assumptions.assumeTrue(
                volume.isPresent() && Lab.domstate(HV2, DOMAIN).isEmpty(),
                "vm1.lab's volume on hv1 as igvm-lab up made it (another lab test may have deleted it)");
        volumeBytes = volume.get().capacityBytes();
        if (Lab.domstate(HV1, DOMAIN).isEmpty()) {
            lab.igvmOk("define", VM);
        }
        lab.awaitDomstate(HV1, DOMAIN, "running");
        lab.awaitSsh(VM, "true");
    }

    @AfterAll
    void putTheLabBack() {
        if (libvirt == null) {
            return;
        }
        try {
            if (Lab.domstate(HV2, DOMAIN).filter("running"::equals).isPresent()) {
                // back to hv1 with plain virsh (an independent path), then off and undefined as before
                Lab.Proc p = Lab.run(
                        Duration.ofMinutes(3),
                        "virsh",
                        "-q",
                        "-c",
                        Lab.uri(HV2),
                        "migrate",
                        "--live",
                        "--copy-storage-all",
                        "--persistent",
                        "--undefinesource",
                        DOMAIN,
                        Lab.uri(HV1));
                assertThat(p.exit()).as("virsh migrate back: %s", p.err()).isZero();
            }
            for (String hv : List.of(HV1, HV2)) {
                if (Lab.domstate(hv, DOMAIN).filter("running"::equals).isPresent()) {
                    libvirt.destroy(hv, DOMAIN);
                }
                if (Lab.domstate(hv, DOMAIN).isPresent()) {
                    libvirt.undefine(hv, DOMAIN);
                }
            }
            if (libvirt.findVolume(HV2, POOL, OBJECT_ID).isPresent()) {
                libvirt.deleteVolume(HV2, POOL, DOMAIN);
            }
        } finally {
            libvirt.close();
        }
    }

    @Test
    @Order(1)
    void aLiveMigrationMovesTheRunningVmToHv2() throws Exception {
        libvirt.createVolume(HV2, POOL, DOMAIN, volumeBytes);
        String bootId = lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id");
        double uptimeBefore = uptime();
        Context context = new Context(HV1, HV2);
        SshProbe probe = new SshProbe();
        probe.start();
        long t0 = System.nanoTime();
        try (TransportSession s = new QemuTransportFactory().create(context)) {
            s.prepare();
            s.transfer();
            s.switchOver();
            s.finish();
        } finally {
            probe.stop();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(Lab.domstate(HV2, DOMAIN)).contains("running");
        assertThat(Lab.domstate(HV1, DOMAIN))
                .as("the source keeps its (shut-off) definition for the migrate flow to remove after commit")
                .contains("shut off");
        assertThat(lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id"))
                .as("the same boot: no restart")
                .isEqualTo(bootId);
        assertThat(uptime()).isGreaterThan(uptimeBefore);
        assertThat(context.events).anyMatch(e -> e.startsWith("bytes ")).anyMatch(e -> e.startsWith("memory "));
        assertThat(context.downtimes).hasSize(1);
        System.out.printf(
                "qemu transport hv1 -> hv2: %d ms, downtime %s, %d progress samples, SSH probes %d ok / %d failed%n",
                millis,
                context.downtimes.get(0),
                context.events.stream().filter(e -> e.startsWith("memory ")).count(),
                probe.ok.get(),
                probe.failed.get());
        context.events.stream().filter(e -> !e.startsWith("bytes ")).forEach(e -> System.out.println("  " + e));
    }

    @Test
    @Order(2)
    void aMigrationCancelledAtItsFirstProgressLeavesTheVmOnItsSourceAndNothingOnTheTarget() throws Exception {
        // As the migrate flow would after its commit: the old source definition goes, its volume is
        // the target volume of the move back.
        libvirt.undefine(HV1, DOMAIN);
        Context context = new Context(HV2, HV1);
        context.cancelAtFirstProgress = true;
        // Uncapped on purpose: with --bwlimit 4M (disk copy ~250 s) libvirt 9.0 took the abort
        // (virDomainAbortJob returned 0) during the disk-copy phase and still completed the
        // migration; see the branch report. Uncapped, the cancel at the first sample (~200 ms) ends it.
        long t0 = System.nanoTime();
        try (TransportSession s = new QemuTransportFactory().create(context)) {
            s.prepare();
            s.transfer();
            // Either libvirt ends the job (the VM never left), or it completes it regardless and
            // abort moves the VM back: both ways it runs on its source afterwards.
            assertThatThrownBy(s::switchOver)
                    .isInstanceOf(CancelledException.class)
                    .message()
                    .containsAnyOf("the VM still runs on " + HV2, "igvm moves it back to " + HV2);
            s.abort();
        }
        context.rollBack();
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(Lab.domstate(HV2, DOMAIN)).contains("running");
        assertThat(Lab.domstate(HV1, DOMAIN)).as("no domain left on the target").isEmpty();
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        System.out.printf("cancelled qemu transport hv2 -> hv1: %d ms until aborted and cleaned up%n", millis);
        context.events.stream().filter(e -> !e.startsWith("bytes ")).forEach(e -> System.out.println("  " + e));
    }

    private double uptime() {
        return Double.parseDouble(lab.awaitSsh(VM, "cut -d' ' -f1 /proc/uptime"));
    }

    /** SSH into the guest over and over while the migration runs; counts answers and failures. */
    private final class SshProbe {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::loop, "ssh-probe");

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        private void loop() {
            while (running.get()) {
                (lab.ssh(VM, "true").exit() == 0 ? ok : failed).incrementAndGet();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** What the migrate flow would hand the transport, over the lab's libvirt. */
    private final class Context implements TransportContext {
        final String source;
        final String target;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Duration> downtimes = new CopyOnWriteArrayList<>();
        final List<org.igvm.domain.spi.transport.ThrowingRunnable> undo = new CopyOnWriteArrayList<>();
        final TransportConfig config = new TransportConfigSection("lab", "qemu", Map.of());
        volatile boolean cancelAtFirstProgress;
        volatile java.util.OptionalLong bandwidth = java.util.OptionalLong.empty();
        private volatile boolean cancelled;
        private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();

        Context(String source, String target) {
            this.source = source;
            this.target = target;
        }

        void rollBack() throws Exception {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
        }

        private void cancel() {
            if (!cancelled) {
                cancelled = true;
                events.add("CANCEL");
                onCancel.forEach(Runnable::run);
            }
        }

        @Override
        public String sourceHypervisor() {
            return source;
        }

        @Override
        public String targetHypervisor() {
            return target;
        }

        @Override
        public HostShell sourceShell() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HostShell targetShell() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HypervisorPort hypervisors() {
            return libvirt;
        }

        @Override
        public TransportVm vm() {
            return new TransportVm(VM, DOMAIN, OBJECT_ID, true, 256, 1);
        }

        @Override
        public List<TransportVolume> volumes() {
            String path = "/var/lib/libvirt/" + POOL + "/" + DOMAIN;
            return List.of(new TransportVolume(DOMAIN, POOL, path, path, volumeBytes, "raw", StorageKind.FILE));
        }

        @Override
        public MigrationMode mode() {
            return MigrationMode.ONLINE;
        }

        @Override
        public TransportConfig config() {
            return config;
        }

        @Override
        public TransportProgress progress() {
            return new TransportProgress() {
                @Override
                public void step(String description) {
                    events.add("step " + description);
                    if (cancelAtFirstProgress && description.startsWith("live-migrating")) {
                        // Also half a second in, should no progress sample come before the end.
                        Thread late = new Thread(() -> {
                            try {
                                Thread.sleep(500);
                                cancel();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                        late.setDaemon(true);
                        late.start();
                    }
                }

                @Override
                public void bytes(long done, long total, long bytesPerSecond) {
                    events.add("bytes " + done + "/" + total + " @" + bytesPerSecond);
                    if (cancelAtFirstProgress) {
                        cancel();
                    }
                }

                @Override
                public void memory(double percent, long bytesPerSecond) {
                    events.add(String.format(java.util.Locale.ROOT, "memory %.0f %% @%d B/s", percent, bytesPerSecond));
                }

                @Override
                public void downtime(Duration measured) {
                    downtimes.add(measured);
                    events.add("downtime " + measured.toMillis() + " ms");
                }
            };
        }

        @Override
        public Cancellation cancellation() {
            return new Cancellation() {
                @Override
                public boolean isCancelled() {
                    return cancelled;
                }

                @Override
                public Registration onCancel(Runnable action) {
                    onCancel.add(action);
                    if (cancelled) {
                        action.run();
                    }
                    return () -> onCancel.remove(action);
                }
            };
        }

        @Override
        public java.util.OptionalLong bandwidthLimit() {
            return bandwidth;
        }

        @Override
        public UndoRegistry undo() {
            return (description, step) -> {
                events.add("undo registered: " + description);
                undo.add(step);
            };
        }
    }
}
