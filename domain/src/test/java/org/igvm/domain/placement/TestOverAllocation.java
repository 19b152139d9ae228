package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.onHypervisor;
import static org.igvm.domain.placement.PlacementExamples.vm;

import org.junit.jupiter.api.Test;

class TestOverAllocation {
    static final OverAllocation OVER = new OverAllocation("over_allocation");
    // cur = (2 + 4 + 2) / 16 = 0.5
    static final PlacementCandidate CURRENT = hv("current")
            .cpus(16)
            .with(vm("vm").cpus(2), vm("a").cpus(4), vm("b").cpus(2))
            .build();

    @Test
    void lessAllocatedTargetScoresOneMinusRelative() {
        // tgt = (2 + 8) / 32 = 0.3125; rel = 0.625
        PlacementCandidate target = hv("t").cpus(32).with(vm("x").cpus(8)).build();
        assertThat(OVER.prepare(onHypervisor(vm("vm").cpus(2), CURRENT)).score(target))
                .isEqualTo(0.375);
    }

    @Test
    void equallyAllocatedScoresZeroAndMoreAllocatedScoresOneHundredth() {
        PlacementCandidate equal = hv("eq").cpus(16).with(vm("x").cpus(6)).build(); // 8/16
        PlacementCandidate more = hv("more").cpus(8).with(vm("x").cpus(8)).build(); // 10/8
        Preference.CandidateScore score = OVER.prepare(onHypervisor(vm("vm").cpus(2), CURRENT));
        assertThat(score.score(equal)).isEqualTo(0.0);
        assertThat(score.score(more)).isEqualTo(0.01);
    }

    @Test
    void aNewVmScoresOne() {
        assertThat(OVER.prepare(newVm(vm("vm"))).score(hv("t").cpus(1).build())).isEqualTo(1.0);
    }
}
