package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.vm;

import org.junit.jupiter.api.Test;

class TestAttributeLimit {
    @Test
    void lowerValueScoresHigherAndAboveTheLimitScoresZero() {
        Preference.CandidateScore cpu =
                new AttributeLimit("cpu_util", HypervisorMetric.CPU_UTIL_PCT, 80).prepare(newVm(vm("vm")));
        assertThat(cpu.score(hv("a").cpuUtil(30L).build())).isCloseTo(0.7, within(1e-15));
        assertThat(cpu.score(hv("b").cpuUtil(80L).build())).isCloseTo(0.2, within(1e-15));
        assertThat(cpu.score(hv("c").cpuUtil(81L).build())).isEqualTo(0.0);
        assertThat(cpu.score(hv("d").cpuUtil(null).build())).isEqualTo(1.0);
    }

    @Test
    void iopsIsRankedTheSameWay() {
        Preference.CandidateScore iops =
                new AttributeLimit("iops", HypervisorMetric.IOPS_AVG, 100).prepare(newVm(vm("vm")));
        assertThat(iops.score(hv("a").iops(90L).build())).isCloseTo(0.1, within(1e-15));
    }

    @Test
    void aLimitAboveOneHundredIsRefusedBecauseScoresWouldLeaveZeroToOne() {
        assertThatThrownBy(() -> new AttributeLimit("x", HypervisorMetric.IOPS_AVG, 150))
                .hasMessageContaining("must lie in 0..100");
    }
}
