package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.adapters.ssh.HostKeyChecking;
import org.igvm.adapters.ssh.SshConfig;
import org.igvm.adapters.ssh.SshShellPort;
import org.igvm.api.CancelledException;
import org.igvm.bootstrap.plugin.TransportConfigSection;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.testing.RecordingTransportContext;
import org.igvm.transport.drbd.DrbdTransportFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The drbd transport on real DRBD 8.4 and LVM, in the lab's two emulated Debian hosts
 * ({@code igvm-lab up --drbd}: drbd1.lab, drbd2.lab), at the storage level: a process writing
 * continuously through the volume's device-mapper device stands in for the running VM, and the
 * transport moves the volume through the SPI from drbd1 to drbd2. Witnesses are read over SSH on
 * the hosts themselves: checksums, {@code dmsetup table}, {@code lvs}, {@code /proc/drbd}, files.
 */
@Tag("lab-drbd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabDrbdTransport {
    static final String A = "drbd1.lab";
    static final String B = "drbd2.lab";
    static final String VG = "xen-data";
    static final String LV = "6001_vmd.lab";
    static final String PATH = "/dev/" + VG + "/" + LV;
    static final String RES = "igvm_6001_vmd_lab";
    static final long SIZE = 32L << 20;

    private final Lab lab = new Lab();
    private SshShellPort ssh;
    private HostShell a;
    private HostShell b;
    private String originalTable;
    private String sourceSum;
    private RunningCommand writer;

    @BeforeAll
    void shells() {
        lab.requireUpAndInCtl();
        ssh = shellPort(lab);
        a = ssh.open(A);
        b = ssh.open(B);
        assertThat(a.check(ShellCommand.of("cat", "/proc/drbd")))
                .as("DRBD on " + A)
                .contains("version: 8.4");
        sourceVolume();
    }

    @AfterAll
    void close() {
        if (ssh != null) {
            try {
                removeVolumes();
            } finally {
                ssh.close();
            }
        }
    }

    /**
     * The VM's volume on drbd1, full of random data, once (the happy path, last, changes it; the
     * failure tests prove they do not), and before each test an empty target volume on drbd2, as
     * the migrate flow creates it.
     */
    private void sourceVolume() {
        recreate(a);
        a.check(ShellCommand.of(
                "dd",
                "if=/dev/urandom",
                "of=" + PATH,
                "bs=1M",
                "count=" + (SIZE >> 20),
                "oflag=direct",
                "status=none"));
        originalTable = table(a);
        sourceSum = sum(a);
    }

    @BeforeEach
    void targetVolume() {
        recreate(b);
        assertClean(a);
        assertClean(b);
        assertThat(table(a)).isEqualTo(originalTable);
    }

    @AfterEach
    void stopTheWriter() {
        stopWriter();
    }

    private void removeVolumes() {
        for (HostShell h : List.of(a, b)) {
            h.run(ShellCommand.format(
                    "if lvs {} >/dev/null 2>&1; then lvremove -fy {}; fi", VG + "/" + LV, VG + "/" + LV));
        }
    }

    private static void recreate(HostShell h) {
        h.check(ShellCommand.format(
                "if lvs {} >/dev/null 2>&1; then lvremove -fy {}; fi; lvcreate -y -W y -n {} -L {} {}",
                VG + "/" + LV,
                VG + "/" + LV,
                LV,
                SIZE + "b",
                VG));
    }

    @Test
    @Order(4)
    void aVolumeUnderContinuousWritesMovesWithEqualChecksums() {
        RecordingTransportContext ctx = context(a, b, Map.of());
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        assertThat(table(a)).as("the volume goes through DRBD").matches("0 " + SIZE / 512 + " linear 147:\\d+ 0");
        startWriter();
        s.transfer();
        String syncedWhileWriting = a.check(ShellCommand.of("cat", "/proc/drbd"));
        stopWriter(); // the flow's shutdown of the VM
        s.switchOver();
        s.finish();
        s.close();

        assertThat(syncedWhileWriting).contains("ds:UpToDate/UpToDate");
        assertThat(ctx.bytes).isNotEmpty();
        assertThat(ctx.bytes.get(ctx.bytes.size() - 1)).containsExactly(SIZE, SIZE);
        String moved = sum(a);
        assertThat(moved).as("the writer changed the volume during the sync").isNotEqualTo(sourceSum);
        assertThat(sum(b)).as("target equals source after the sync").isEqualTo(moved);
        assertThat(table(a)).isEqualTo(originalTable);
        assertClean(a);
        assertClean(b);
        assertThat(ctx.rollback()).isEmpty();
    }

    @Test
    @Order(1)
    void aFaultAtStepsThroughTheShellLeavesTheSourceAsItWasAndNothingBehind() {
        List<Integer> faulted = new ArrayList<>();
        // every 11th command here (each run costs ~30 s of emulated LVM and SSH), so that prepare,
        // the sync and the teardown each get one; every command in the scripted model
        // (TestDrbdSession); -Digvm.drbd.fault-step=1 for all of them here
        int step = Integer.getInteger("igvm.drbd.fault-step", 11);
        for (int k = 1; k < 120; k += step) {
            AtomicInteger counter = new AtomicInteger();
            RecordingTransportContext ctx =
                    context(new FaultyShell(a, counter, k), new FaultyShell(b, counter, k), Map.of());
            TransportSession s = new DrbdTransportFactory().create(ctx);
            Throwable thrown = catchThrowable(() -> {
                s.prepare();
                s.transfer();
                s.switchOver();
                s.finish();
                // offline, the source's side goes here, after the flow would have started the VM
                s.close();
            });
            Throwable aborted = thrown == null ? null : catchThrowable(s::abort);
            s.close();
            List<Exception> rollback = ctx.rollback();
            if (thrown == null && counter.get() >= k) {
                // a fault in close's teardown, which it tries once more: nothing is left either
                assertThat(rollback)
                        .as("rollback after a fault at command %d in close", k)
                        .isEmpty();
                assertThat(sum(b)).isEqualTo(sourceSum);
                assertClean(a);
                assertClean(b);
                continue;
            }
            if (thrown == null) {
                assertThat(counter.get())
                        .as("the sequence ran to its end before command " + k)
                        .isLessThan(k);
                assertThat(sum(b)).isEqualTo(sourceSum);
                break;
            }
            faulted.add(k);
            assertThat(rollback)
                    .as("rollback after a fault at command %d (%s; abort: %s)", k, thrown, aborted)
                    .isEmpty();
            assertThat(table(a)).as("table after a fault at " + k).isEqualTo(originalTable);
            assertThat(sum(a)).as("data after a fault at " + k).isEqualTo(sourceSum);
            assertClean(a);
            assertClean(b);
        }
        assertThat(faulted).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(2)
    void aLostPeerConnectionMidSyncFailsAndTearsEverythingDown() {
        RecordingTransportContext ctx = context(a, b, Map.of("connect_timeout", "5s", "resync_rate", "4M"));
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        // the peer's side of the link goes away while the sync runs
        b.check(ShellCommand.of("drbdadm", "disconnect", RES));
        Throwable thrown = catchThrowable(s::transfer);
        s.abort();
        s.close();
        assertThat(ctx.rollback()).isEmpty();
        assertThat(thrown).hasMessageContaining("has not been connected for 5 s");
        assertThat(table(a)).isEqualTo(originalTable);
        assertThat(sum(a)).isEqualTo(sourceSum);
        assertClean(a);
        assertClean(b);
    }

    @Test
    @Order(3)
    void ctrlCDuringTheSyncTearsEverythingDown() {
        RecordingTransportContext ctx = context(a, b, Map.of("resync_rate", "4M"));
        AtomicInteger samples = new AtomicInteger();
        Thread operation = Thread.currentThread();
        RecordingTransportContext cancelling = ctx;
        TransportSession s = new DrbdTransportFactory().create(new ProgressTap(cancelling, () -> {
            if (samples.incrementAndGet() == 2) {
                cancelling.cancel();
                operation.interrupt();
            }
        }));
        s.prepare();
        Throwable thrown = catchThrowable(s::transfer);
        Thread.interrupted();
        s.abort();
        s.close();
        assertThat(ctx.rollback()).isEmpty();
        assertThat(thrown).isInstanceOf(CancelledException.class);
        assertThat(table(a)).isEqualTo(originalTable);
        assertThat(sum(a)).isEqualTo(sourceSum);
        assertClean(a);
        assertClean(b);
    }

    // ------------------------------------------------------------------ helpers

    /** SSH to the lab's hosts as root with the lab's key, host keys strict. */
    static SshShellPort shellPort(Lab lab) {
        return new SshShellPort(SshConfig.defaults("root", Duration.ofMinutes(5))
                .withKnownHosts(lab.sshDir.resolve("known_hosts"), HostKeyChecking.STRICT)
                .withIdentityFiles(List.of(lab.sshDir.resolve("id_ed25519")))
                .withClientConfig(java.nio.file.Path.of("/dev/null"))
                .withUser("root", false));
    }

    private RecordingTransportContext context(HostShell source, HostShell target, Map<String, Object> drbd) {
        TransportVolume v = new TransportVolume(LV, VG, PATH, PATH, SIZE, "raw", StorageKind.LVM);
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("poll_interval", "200ms"));
        settings.putAll(drbd);
        return new RecordingTransportContext(
                        source, target, List.of(v), new TransportConfigSection("lab", "drbd", settings))
                .hypervisors(A, B)
                .mode(MigrationMode.OFFLINE)
                .vm(new TransportVm("vmd.lab", LV, 6001, true, 256, 1));
    }

    private void startWriter() {
        writer = a.start(
                ShellCommand.format(
                        "while :; do dd if=/dev/urandom of={} bs=64K count=1 seek=$((RANDOM % {})) oflag=direct"
                                + " conv=notrunc status=none; done",
                        PATH, String.valueOf(SIZE / 65536)),
                OutputSink.discard(),
                OutputSink.discard());
    }

    private void stopWriter() {
        if (writer != null) {
            writer.kill();
            writer.close();
            writer = null;
            // the loop's last dd may still be in flight on the host
            a.check(ShellCommand.of("sync"));
        }
    }

    private static String table(HostShell h) {
        return h.check(ShellCommand.of("dmsetup", "table", PATH)).strip();
    }

    private static String sum(HostShell h) {
        return h.check(ShellCommand.of("sha256sum", PATH)).strip().split("\\s+")[0];
    }

    /** No DRBD resource, metadata LV, {@code _orig} device, resource or table file of the test's VM. */
    static void assertClean(HostShell h) {
        assertNoDrbdLeftovers(h, RES);
    }

    /** No DRBD resource, metadata LV, {@code _orig} device, resource or table file, none of {@code res}. */
    static void assertNoDrbdLeftovers(HostShell h, String res) {
        String state = h.check(ShellCommand.format(
                "echo drbd:; grep -E '^ *[0-9]+: cs:' /proc/drbd | grep -v Unconfigured; echo lvs:; lvs --noheadings -o lv_name {};"
                        + " echo dm:; dmsetup ls | grep _orig; echo files:; ls /etc/drbd.d/ /run/igvm-drbd/ 2>/dev/null | grep igvm_; true",
                VG));
        assertThat(state)
                .as("DRBD leftovers on " + h.host())
                .doesNotContain("cs:")
                .doesNotContain("_meta")
                .doesNotContain("_orig")
                .doesNotContain(res);
    }

    /** The context with a hook at every progress sample (a Ctrl-C at the n-th). */
    private static final class ProgressTap implements org.igvm.domain.spi.transport.TransportContext {
        private final RecordingTransportContext d;
        private final Runnable onSample;

        ProgressTap(RecordingTransportContext d, Runnable onSample) {
            this.d = d;
            this.onSample = onSample;
        }

        @Override
        public String sourceHypervisor() {
            return d.sourceHypervisor();
        }

        @Override
        public String targetHypervisor() {
            return d.targetHypervisor();
        }

        @Override
        public HostShell sourceShell() {
            return d.sourceShell();
        }

        @Override
        public HostShell targetShell() {
            return d.targetShell();
        }

        @Override
        public org.igvm.domain.spi.hypervisor.HypervisorPort hypervisors() {
            return d.hypervisors();
        }

        @Override
        public TransportVm vm() {
            return d.vm();
        }

        @Override
        public List<TransportVolume> volumes() {
            return d.volumes();
        }

        @Override
        public MigrationMode mode() {
            return d.mode();
        }

        @Override
        public org.igvm.domain.spi.transport.TransportConfig config() {
            return d.config();
        }

        @Override
        public org.igvm.domain.spi.transport.TransportProgress progress() {
            org.igvm.domain.spi.transport.TransportProgress p = d.progress();
            return new org.igvm.domain.spi.transport.TransportProgress() {
                @Override
                public void step(String description) {
                    p.step(description);
                }

                @Override
                public void bytes(long done, long total, long rate) {
                    p.bytes(done, total, rate);
                    onSample.run();
                }
            };
        }

        @Override
        public org.igvm.domain.spi.cancel.Cancellation cancellation() {
            return d.cancellation();
        }

        @Override
        public org.igvm.domain.spi.transport.UndoRegistry undo() {
            return d.undo();
        }

        @Override
        public java.util.OptionalLong bandwidthLimit() {
            return d.bandwidthLimit();
        }
    }
}
