package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.igvm.adapters.ssh.SshShellPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code igvm migrate VM HV --offline --disk-transport drbd} end to end between the lab's two DRBD
 * hypervisors: libvirt's logical pools on real LVM create and delete the volumes, the drbd
 * transport replicates the disk, igvm defines the domain on the target and updates the inventory.
 * The VM (vmd.lab, in the fleet with {@code --drbd}) is stopped: a VM running nested in the
 * emulated hosts is not part of this test.
 */
@Tag("lab-drbd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestLabDrbdMigrate {
    static final String VM = DrbdLabVm.VM;
    static final String DOMAIN = DrbdLabVm.DOMAIN;
    static final String A = DrbdLabVm.A;
    static final String B = DrbdLabVm.B;
    static final String RES = DrbdLabVm.RES;

    private final Lab lab = new Lab();
    private SshShellPort ssh;
    private HostShell a;
    private HostShell b;

    @BeforeAll
    void vmdOnDrbd1() {
        lab.requireUpAndInCtl();
        assertThat(lab.inventory(A)).as("the lab is up with --drbd").isPresent();
        ssh = TestLabDrbdTransport.shellPort(lab);
        a = ssh.open(A);
        b = ssh.open(B);
        lab.igvmOk("inventory", "set", B, "state=online");
        Lab.Proc vol = Lab.virsh(A, "vol-create-as", "xen-data", DOMAIN, "1G");
        assertThat(vol.exit()).as("vol-create-as: %s", vol.err()).isZero();
        // data of its own on the first 16 MiB; the rest is whatever LVM left there, checksummed too
        a.check(ShellCommand.of(
                "dd",
                "if=/dev/urandom",
                "of=/dev/xen-data/" + DOMAIN,
                "bs=1M",
                "count=16",
                "oflag=direct",
                "status=none"));
        // igvm defines the domain from the inventory (and starts it); it is stopped before the move
        lab.igvmOk("define", VM);
        lab.igvmOk("stop", "--force", VM);
        assertThat(Lab.domstate(A, DOMAIN)).contains("shut off");
    }

    @AfterAll
    void putTheLabBack() {
        try {
            DrbdLabVm.removeFromBothHosts();
            lab.resetToSample();
        } finally {
            if (ssh != null) {
                ssh.close();
            }
        }
    }

    @Test
    void anOfflineMigrationOverDrbdMovesTheDiskTheDomainAndTheInventory() {
        String before = sum(a);

        Lab.Result r = lab.igvmOk("migrate", VM, B, "--offline", "--disk-transport", "drbd");

        assertThat(r.err()).doesNotContain("WARN");
        assertThat(Lab.domstate(B, DOMAIN))
                .as("defined on the target, not started (it was off)")
                .contains("shut off");
        assertThat(Lab.domstate(A, DOMAIN)).as("gone from the source").isEmpty();
        assertThat(Lab.virsh(A, "vol-list", "xen-data").out()).doesNotContain(DOMAIN);
        assertThat(a.run(ShellCommand.of("lvs", "xen-data/" + DOMAIN)).exitStatus())
                .as("the source LV is removed")
                .isNotZero();
        assertThat(sum(b)).as("the target LV holds the VM's disk").isEqualTo(before);
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", B);
        for (HostShell h : List.of(a, b)) {
            TestLabDrbdTransport.assertNoDrbdLeftovers(h, RES);
        }
    }

    private static String sum(HostShell h) {
        var r = h.run(ShellCommand.of("sha256sum", "/dev/xen-data/" + DOMAIN), Duration.ofMinutes(2));
        assertThat(r.exitStatus()).as(r.stderr()).isZero();
        return r.stdout().strip().split("\\s+")[0];
    }
}
