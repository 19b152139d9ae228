package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.onHypervisor;
import static org.igvm.domain.placement.PlacementExamples.vm;

import org.junit.jupiter.api.Test;

class TestCpuUsageLimit {
    static final CpuUsageLimit LIMIT = new CpuUsageLimit("cpu_usage", DefaultPreferences.CPU_USAGE_THRESHOLDS);
    static final PlacementCandidate SOURCE = hv("source").perf(1200L).build();

    @Test
    void usageAddsUtilisationVmShareScaledByPerfFactorsAndMigrationLog() {
        // share = min(3000/1000, 2) × 1.2 / 0.8 / 32 × 100 = 9.375; usage = 40 + 9.375 + 5.625 = 55
        PlacementCandidate target = hv("target")
                .model("Dell_R640")
                .perf(800L)
                .cpus(32)
                .cpuUtil(40L)
                .migrationLog(5.625)
                .build();
        double score = LIMIT.prepare(onHypervisor(vm("vm").cpus(2).load99(3000), SOURCE))
                .score(target);
        assertThat(score).isCloseTo(1 - 55.0 / 75, within(1e-12));
    }

    @Test
    void usageAboveTheModelsThresholdScoresZero() {
        // share = 1 / 16 × 100 = 6.25; usage = 70 + 6.25 = 76.25 > 75
        PlacementCandidate target = hv("target").cpus(16).cpuUtil(70L).build();
        PlacementCandidate current = hv("current").build();
        assertThat(LIMIT.prepare(onHypervisor(vm("vm").load99(1000), current)).score(target))
                .isEqualTo(0.0);
    }

    @Test
    void aModelWithoutThresholdScoresZeroAndANewVmScoresOne() {
        PlacementCandidate unknownModel = hv("target").model("Acme_1").build();
        assertThat(LIMIT.prepare(onHypervisor(vm("vm").load99(100), SOURCE)).score(unknownModel))
                .isEqualTo(0.0);
        assertThat(LIMIT.prepare(newVm(vm("vm").load99(100))).score(unknownModel))
                .isEqualTo(1.0);
    }

    @Test
    void negativeUsageIsClampedAndMissingUtilisationCountsAsFresh() {
        PlacementCandidate current = hv("current").build();
        PlacementCandidate drained =
                hv("drained").cpus(16).cpuUtil(10L).migrationLog(-30).build();
        PlacementCandidate unmeasured = hv("fresh").cpus(16).cpuUtil(null).build();
        Preference.CandidateScore score = LIMIT.prepare(onHypervisor(vm("vm").load99(1000), current));
        assertThat(score.score(drained)).isEqualTo(1.0);
        // 6.25 of 75
        assertThat(score.score(unmeasured)).isCloseTo(1 - 6.25 / 75, within(1e-12));
    }
}
