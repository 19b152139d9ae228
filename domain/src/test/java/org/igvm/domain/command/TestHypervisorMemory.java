package org.igvm.domain.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.junit.jupiter.api.Test;

class TestHypervisorMemory {
    static HypervisorMemory twoNodes() {
        HypervisorFacts facts = new HypervisorFacts(
                "hv", 32, 262144, 0, List.of(new NumaNode(0, "0-15", 131072), new NumaNode(1, "16-31", 131072)), 0);
        List<DomainInfo> domains = List.of(
                new DomainInfo("1_a", "", DomainState.RUNNING, 2, 24, 4096, 4096),
                new DomainInfo("2_b", "", DomainState.SHUTOFF, 2, 24, 8192, 8192));
        return HypervisorMemory.of(facts, domains, HypervisorSettings.defaults());
    }

    @Test
    void freeMemoryIsTheTotalLessTheReserveAndEveryDomainWithItsOverhead() {
        // 262144 − 2048 − (4096 + 50) − (8192 + 50)
        assertThat(twoNodes().freeMiB()).isEqualTo(247708);
    }

    @Test
    void theGranularityIs128MibPerNodeAndTwoGibFrom63GibOn() {
        HypervisorMemory memory = twoNodes();
        assertThat(memory.granularityMiB(4096)).isEqualTo(256);
        assertThat(memory.granularityMiB(63 * 1024 - 256)).isEqualTo(256);
        assertThat(memory.granularityMiB(63 * 1024)).isEqualTo(2048);
    }
}
