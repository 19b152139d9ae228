package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code igvm placement} for vm3.lab, which has no hypervisor: ranks the lab's hypervisors from the
 * inventory and hard-checks them against their real libvirtd. Changes nothing.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestLabPlacement {
    private static final String VM = "vm3.lab";

    private final Lab lab = new Lab();

    @BeforeAll
    void labIsUp() {
        lab.requireUpAndInCtl();
    }

    @Test
    void ranksTheLabsHypervisorsAndHardChecksThemOnLibvirtd() {
        Lab.Result r = lab.igvmOk("placement", VM);
        assertThat(r.out())
                .contains("placement of " + VM + " among servertype=hypervisor state=online vlan_networks=lab-net")
                .containsPattern("(?m)^1 +hv[12]\\.lab +0\\.\\d{4} ")
                .containsPattern("(?m)^chosen: hv[12]\\.lab$");
        // both hypervisors are ranked (no preference excludes a fresh lab hypervisor)
        assertThat(r.out()).containsPattern("(?m)^[12] +hv1\\.lab ").containsPattern("(?m)^[12] +hv2\\.lab ");
        assertThat(lab.igvmOk("inventory", "show", "hv2.lab").out()).doesNotContain("igvm_locked ");
    }

    @Test
    void aPinnedHypervisorIsCheckedWithItsLiveMemory() {
        lab.igvmOk("inventory", "set", VM, "memory=4194304");
        try {
            Lab.Result r = lab.igvm("placement", VM, "hv1.lab");
            assertThat(r.exit()).as("%s", r).isEqualTo(7);
            // The ranking and why each checked candidate failed on stdout, then one error line.
            assertThat(r.errLines()).singleElement().asString().contains("1 failed their hard checks");
            assertThat(r.out())
                    .contains("not enough memory")
                    .containsPattern("MiB free \\(\\d+ total − \\d+ reserved − \\d+ for \\d+ domains\\)");
        } finally {
            lab.igvmOk("inventory", "set", VM, "memory=256");
        }
        assertThat(lab.igvmOk("placement", VM, "hv1.lab").out()).contains("chosen: hv1.lab");
    }
}
