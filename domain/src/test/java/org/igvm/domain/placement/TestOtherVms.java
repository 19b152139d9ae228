package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.vm;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestOtherVms {
    static final OtherVms SAME_GROUP = new OtherVms("same_group", DefaultPreferences.SAME_GROUP, List.of());
    static final OtherVms DB_MASTERS =
            new OtherVms("db_masters", List.of("function", "game_world"), List.of("db", "0"));

    @Test
    void countsOtherVmsEqualOnEveryAttributeButNotTheVmItself() {
        PlacementCandidate hv = hv("hv1")
                .with(vm("a"), vm("b"), vm("c"), vm("me"), vm("d").project("bravo"))
                .build();
        // a, b, c count (3); me is the VM itself; d differs → x = 0.97 → 0.0097
        assertThat(SAME_GROUP.prepare(newVm(vm("me"))).score(hv)).isCloseTo(0.0097, within(1e-15));
    }

    @Test
    void noneCountedOrNoVmsScoresOne() {
        assertThat(SAME_GROUP.prepare(newVm(vm("me"))).score(hv("empty").build()))
                .isEqualTo(1.0);
        assertThat(SAME_GROUP
                        .prepare(newVm(vm("me")))
                        .score(hv("other").with(vm("a").function("db")).build()))
                .isEqualTo(1.0);
    }

    @Test
    void aHundredOrMoreLikeVmsScoreOneHundredth() {
        PlacementExamples.HvBuilder crowded = hv("crowded");
        for (int i = 0; i < 150; i++) {
            crowded.with(vm("vm" + i));
        }
        assertThat(SAME_GROUP.prepare(newVm(vm("me"))).score(crowded.build())).isEqualTo(0.01);
    }

    @Test
    void withValuesOnlyAVmHavingThemIsCompared() {
        PlacementCandidate hv =
                hv("hv1").with(vm("master").function("db").world("0")).build();
        // one other db master → 1 - 1/100 = 0.99 → 0.0099
        assertThat(DB_MASTERS.prepare(newVm(vm("me").function("db").world("0"))).score(hv))
                .isCloseTo(0.0099, within(1e-15));
        PlacementCandidate replicas =
                hv("hv2").with(vm("replica").function("db").world("1")).build();
        assertThat(DB_MASTERS.prepare(newVm(vm("me").function("db").world("1"))).score(replicas))
                .isEqualTo(1.0);
    }
}
