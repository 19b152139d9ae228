package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.igvm.api.AttributeDifference;
import org.igvm.api.SyncReport;
import org.igvm.api.VmInfo;
import org.igvm.api.VmStatus;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * igvm against the lab's real hypervisors, as a user drives it: the command line and the embedding
 * API on the lab's sample VM {@code vm1.lab} (object 5001, disk prepared by {@code igvm-lab up} on
 * hv1), and a throw-away {@code vm2.lab} on hv2 for the fault test and the plain delete. Every step
 * is checked against an independent witness: virsh on the hypervisor, the pool's files, SSH into
 * the guest, the inventory. The tests build on each other and run in order; the deletes are last.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabLifecycle {
    private static final String VM = "vm1.lab";
    private static final String DOMAIN = "5001_vm1.lab";
    private static final String HV = "hv1.lab";
    private static final String VM2 = "vm2.lab";
    private static final String DOMAIN2 = "5002_vm2.lab";
    private static final String HV2 = "hv2.lab";

    private final Lab lab = new Lab();

    @BeforeAll
    void labIsUp() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
    }

    private IgvmRuntime embedded() {
        return IgvmRuntime.start(IgvmConfig.load(lab.config, true));
    }

    private String bootId() {
        return lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id");
    }

    @Test
    @Order(1)
    void defineBuildsABootableDomainFromTheInventory() throws IOException {
        assertThat(Lab.domstate(HV, DOMAIN)).as("not defined before").isEmpty();
        assertThat(lab.volumeFile(HV, DOMAIN)).exists();

        Lab.Result r = lab.igvmOk("define", VM);

        assertThat(r.out()).contains(VM + " defined and started");
        assertThat(Lab.domstate(HV, DOMAIN)).contains("running");
        String xml = Lab.virsh(HV, "dumpxml", DOMAIN).out();
        assertThat(xml)
                .contains("<domain type='qemu'")
                .contains("<source pool='xen-data' volume='" + DOMAIN + "'")
                .contains("<source bridge='br0'/>")
                .contains("<kernel>/var/lib/libvirt/boot/vmlinux-lab</kernel>")
                .doesNotContain("virtualport");
        // the guest boots from its own disk and is the VM the inventory names
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        assertThat(Files.readString(lab.serialLog(HV, DOMAIN))).contains("Linux version");

        Lab.Result again = lab.igvm("define", VM);
        assertThat(again.exit()).as("%s", again).isEqualTo(7);
        assertThat(again.errLines()).singleElement().asString().contains("already defined");
    }

    @Test
    @Order(2)
    void infoReportsTheRunningVmThroughCliAndApi() {
        Lab.Result r = lab.igvmOk("info", VM);
        assertThat(r.out()).containsPattern("status\\s+running").containsPattern("hypervisor\\s+" + HV);
        // Read from inside the guest over SSH (sshj against the guest's dropbear, strict host keys).
        assertThat(r.out()).containsPattern("memory_free_mib\\s+\\d+").containsPattern("load\\s+\\d+\\.\\d+");

        try (IgvmRuntime runtime = embedded()) {
            VmInfo info = runtime.igvm().info(VM);
            assertThat(info.status()).isEqualTo(VmStatus.RUNNING);
            assertThat(info.hypervisor()).isEqualTo(HV);
            assertThat(info.objectId()).isEqualTo(5001);
            assertThat(info.memoryMiB()).isEqualTo(256);
            assertThat(info.memoryFreeMiB()).isBetween(1L, 256L);
            assertThat(info.diskFreeGiB()).isNotNull().isBetween(0L, 1L);
            assertThat(info.load()).isNotNull().isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    @Order(3)
    void stopThroughTheApiShutsTheGuestDown() {
        bootId(); // booted far enough to handle the ACPI power button
        try (IgvmRuntime runtime = embedded()) {
            runtime.igvm().stop(org.igvm.api.StopRequest.builder(VM).build());
        }
        assertThat(Lab.domstate(HV, DOMAIN)).contains("shut off");
        assertThat(lab.ssh(VM, "true").exit()).as("no SSH after stop").isNotZero();
        assertThat(lab.igvmOk("info", VM).out()).containsPattern("status\\s+stopped");
    }

    @Test
    @Order(4)
    void startBootsItAgain() {
        lab.igvmOk("start", VM);
        assertThat(Lab.domstate(HV, DOMAIN)).contains("running");
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
    }

    @Test
    @Order(5)
    void restartRebootsTheGuest() {
        String before = bootId();

        lab.igvmOk("restart", VM);

        assertThat(Lab.domstate(HV, DOMAIN)).contains("running");
        String after = Lab.await(VM + " answers SSH from a new boot", Lab.SSH_DEADLINE, () -> {
            Lab.Proc p = lab.ssh(VM, "cat /proc/sys/kernel/random/boot_id");
            return p.exit() == 0 && !p.out().strip().equals(before) ? Optional.of(p.out()) : Optional.empty();
        });
        assertThat(after).isNotBlank();
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
    }

    @Test
    @Order(6)
    void restartRefusesWhenOutOfSyncAndSyncTakesTheActualValues() {
        String boot = bootId();
        lab.igvmOk("inventory", "set", VM, "memory=512", "num_cpu=2");

        Lab.Result refused = lab.igvm("restart", VM);
        assertThat(refused.exit()).as("%s", refused).isEqualTo(5);
        assertThat(refused.errLines()).singleElement().asString().contains("out of sync");
        assertThat(Lab.domstate(HV, DOMAIN)).contains("running");
        assertThat(bootId()).as("not restarted").isEqualTo(boot);

        SyncReport report;
        try (IgvmRuntime runtime = embedded()) {
            report = runtime.igvm().sync(VM);
        }
        assertThat(report.changes())
                .extracting(AttributeDifference::attribute, AttributeDifference::hypervisorValue)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("memory", "256"),
                        org.assertj.core.groups.Tuple.tuple("num_cpu", "1"));
        Map<String, String> inv = lab.inventory(VM).orElseThrow();
        assertThat(inv).containsEntry("memory", "256").containsEntry("num_cpu", "1");

        assertThat(lab.igvmOk("sync", VM).out()).contains("inventory already matches the hypervisor");
    }

    @Test
    @Order(7)
    void anUnreachableHypervisorIsReportedAndNothingChanges(@TempDir Path tmp) throws IOException {
        // vm2.lab: an inventory object and a volume on hv2, no domain
        Path fleet = tmp.resolve("vm2.yaml");
        Files.writeString(
                fleet,
                """
                objects:
                  - object_id: 5002
                    hostname: vm2.lab
                    servertype: vm
                    state: online
                    hypervisor: hv2.lab
                    os: bookworm
                    num_cpu: 1
                    memory: 128
                    disk_size_gib: 1
                    intern_ip: 10.201.0.12
                    route_network: lab-net
                    environment: testing
                    function: web
                    project: lab
                    io_weight: default
                    puppet_master: puppet.lab
                    puppet_ca: puppet.lab
                    mac: []
                """);
        lab.igvmOk("inventory", "import", fleet.toString());
        Lab.Proc vol =
                Lab.virsh(HV2, "vol-create-as", "xen-data", DOMAIN2, "1G", "--allocation", "0", "--format", "raw");
        assertThat(vol.exit()).as(vol.err()).isZero();
        assertThat(lab.volumeFile(HV2, DOMAIN2)).exists();
        Map<String, String> before = lab.inventory(VM2).orElseThrow();

        killLibvirtd("hv2");
        try {
            Lab.Result r = lab.igvm("delete", VM2);
            assertThat(r.exit()).as("%s", r).isEqualTo(6);
            assertThat(r.errLines()).singleElement().asString().contains(HV2).contains("unreachable");
            assertThat(lab.inventory(VM2)).as("inventory untouched").contains(before);
            assertThat(lab.volumeFile(HV2, DOMAIN2)).as("volume untouched").exists();
            // the other hypervisor is not affected
            assertThat(lab.igvmOk("info", VM).out()).containsPattern("status\\s+running");
        } finally {
            Lab.Proc restart = Lab.run(
                    Duration.ofSeconds(60), lab.repo.resolve("lab/igvm-lab").toString(), "restart-libvirtd", "hv2");
            assertThat(restart.exit()).as(restart.out() + restart.err()).isZero();
        }

        // with hv2 back, a plain delete removes the volume and the inventory object
        assertThat(lab.igvmOk("delete", VM2).out()).contains(VM2 + " deleted");
        assertThat(lab.volumeFile(HV2, DOMAIN2)).doesNotExist();
        assertThat(Lab.virsh(HV2, "vol-list", "xen-data").out()).doesNotContain(DOMAIN2);
        assertThat(lab.inventory(VM2)).as("deleted from the inventory").isEmpty();
    }

    /** SIGKILL to exactly the libvirtd the lab recorded (PID and start time must both match). */
    private void killLibvirtd(String hv) throws IOException {
        String[] rec = Files.readString(lab.state.resolve("run/pids/" + hv + "-libvirtd.pid"))
                .strip()
                .split("\\s+");
        long pid = Long.parseLong(rec[0]);
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(fields[22 - 3]).as("start time of recorded pid %s", pid).isEqualTo(rec[1]);
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString())
                .isEqualTo("/usr/sbin/libvirtd");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Lab.await(
                hv + "'s libvirtd refuses connections",
                Duration.ofSeconds(30),
                () -> Lab.virsh(hv + ".lab", "version").exit() != 0 ? Optional.of(true) : Optional.empty());
    }

    @Test
    @Order(8)
    void deleteRetireRemovesDomainAndVolumeAndKeepsTheObjectRetired() {
        Lab.Result running = lab.igvm("delete", VM, "--retire");
        assertThat(running.exit()).as("%s", running).isEqualTo(7);
        assertThat(running.errLines()).singleElement().asString().contains("stop it first");
        assertThat(Lab.domstate(HV, DOMAIN)).contains("running");

        bootId();
        lab.igvmOk("stop", VM);
        assertThat(Lab.domstate(HV, DOMAIN)).contains("shut off");

        assertThat(lab.igvmOk("delete", VM, "--retire").out()).contains("retired");

        assertThat(Lab.domstate(HV, DOMAIN)).as("undefined").isEmpty();
        assertThat(lab.volumeFile(HV, DOMAIN)).doesNotExist();
        assertThat(Lab.virsh(HV, "vol-list", "xen-data").out()).doesNotContain(DOMAIN);
        Map<String, String> inv = lab.inventory(VM).orElseThrow();
        assertThat(inv).containsEntry("state", "retired");
        assertThat(inv.get("hypervisor")).isIn(null, "null");
    }
}
