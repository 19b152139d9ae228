package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.vm;

import org.junit.jupiter.api.Test;

class TestSameEnvironment {
    @Test
    void sameEnvironmentScoresOneAndAnyOtherScoresOneHundredth() {
        Preference.CandidateScore score =
                new SameEnvironment("same_environment").prepare(newVm(vm("new").environment("testing")));
        assertThat(score.score(hv("hv1").environment("testing").build())).isEqualTo(1.0);
        assertThat(score.score(hv("hv2").environment("production").build())).isEqualTo(0.01);
        assertThat(score.score(hv("hv3").environment(null).build())).isEqualTo(0.01);
    }
}
