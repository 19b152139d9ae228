package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * igvm rename on the lab: {@code vm5.lab} (object 5005, 10.201.0.15, no hypervisor in the lab's
 * fleet) is built, renamed to {@code vm7.lab} offline, and then answers SSH at its address with
 * the same host keys as {@code vm7.lab}; its domain and volume carry {@code 5005_vm7.lab} and no
 * {@code 5005_vm5.lab} is left; the lab's CA lists no certificate of {@code vm5.lab}. Then it is
 * deleted. Written for the lab's real image and puppetserver; not run yet (the lab is busy, and
 * its fleet must hold vm5.lab).
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabRename {
    private static final String OLD = "vm5.lab";
    private static final String NEW = "vm7.lab";
    private static final String ADDRESS = "10.201.0.15";
    private static final String OLD_UID = "5005_" + OLD;
    private static final String NEW_UID = "5005_" + NEW;
    private static final String CA = "puppet.lab";
    private static final List<String> HVS = List.of("hv1.lab", "hv2.lab");

    private final Lab lab = new Lab();

    @TempDir
    Path dir;

    @BeforeAll
    void freshLab() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        lab.waitPuppet();
    }

    private Lab.Result igvmShown(String... args) {
        Lab.Result r = lab.igvm(args);
        System.out.println("igvm " + String.join(" ", args) + "\n" + r);
        return r;
    }

    @Test
    @Order(1)
    void aRenamedVmAnswersUnderItsNewNameWithItsDomainVolumeAndCertificateRenamed() throws Exception {
        Lab.Result built = igvmShown("build", OLD);
        assertThat(built.exit()).as("%s", built).isZero();
        String hv = lab.inventory(OLD).orElseThrow().get("hypervisor");
        assertThat(HVS).contains(hv);
        // The rename keeps the guest's host keys: scanned now, they must be what answers after it.
        Path knownHosts = StrictGuestSsh.scanKeys(dir, NEW, ADDRESS);

        Lab.Result renamed = igvmShown("rename", OLD, NEW, "--offline");

        assertThat(renamed.exit()).as("%s", renamed).isZero();
        assertThat(renamed.out()).isEqualTo(OLD + " -> " + NEW + " (offline)\n");
        assertThat(renamed.err())
                .as("no warning: the old certificate was cleaned")
                .doesNotContain("warning");
        String hostname = Lab.await("vm7.lab answers SSH at " + ADDRESS, Lab.SSH_DEADLINE, () -> {
            Lab.Proc p = StrictGuestSsh.run(knownHosts, NEW, ADDRESS, "hostname");
            return p.exit() == 0 ? Optional.of(p.out().strip()) : Optional.empty();
        });
        assertThat(hostname).isEqualTo(NEW);

        assertThat(Lab.virsh(hv, "list", "--all", "--name").out())
                .contains(NEW_UID)
                .doesNotContain(OLD_UID);
        assertThat(Lab.virsh(hv, "vol-list", "xen-data").out())
                .contains(NEW_UID)
                .doesNotContain(OLD_UID);
        assertThat(Lab.domstate(hv, NEW_UID)).contains("running");

        Lab.Proc certificates = lab.ssh(CA, "puppetserver ca list --all");
        assertThat(certificates.exit()).as(certificates.err()).isZero();
        assertThat(certificates.out()).contains(NEW).doesNotContain(OLD);

        Map<String, String> vm = lab.inventory(NEW).orElseThrow();
        assertThat(vm.get("object_id")).isEqualTo("5005");
        assertThat(vm.get("igvm_locked")).isIn(null, "", "null");
        assertThat(lab.inventory(OLD)).isEmpty();
    }

    @Test
    @Order(2)
    void theRenamedVmIsDeletedAndItsCertificateCleaned() {
        assertThat(igvmShown("stop", "--force", NEW).exit()).isZero();
        assertThat(igvmShown("delete", NEW).exit()).isZero();
        Lab.Result cleaned = igvmShown("clean-cert", NEW, "--ca", CA);
        assertThat(cleaned.exit()).as("%s", cleaned).isZero();
        for (String hv : HVS) {
            assertThat(Lab.virsh(hv, "list", "--all", "--name").out()).doesNotContain("5005_");
            assertThat(Lab.virsh(hv, "vol-list", "xen-data").out()).doesNotContain("5005_");
        }
    }
}
