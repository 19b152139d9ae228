package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TestPlacementEngine {
    static final PlacementCandidate A = hv("a").build();
    static final PlacementCandidate B = hv("b").build();
    static final PlacementCandidate C = hv("c").build();

    static PlacementEngine engine(Map<String, Double> first, Map<String, Double> second, Map<String, Double> third) {
        return new PlacementEngine(
                List.of(new FixedScores("p1", first), new FixedScores("p2", second), new FixedScores("p3", third)));
    }

    @Test
    void strictTotalIsTheMeanWhenEveryPreferenceMatches() {
        PlacementEngine engine = engine(Map.of("a", 0.5), Map.of("a", 1.0), Map.of("a", 0.25));
        PlacementRanking ranking = engine.rank(newVm(vm("vm")), List.of(A), false);
        // (1.75 / (3 - 3 + 1)) / 3
        assertThat(ranking.ranked().get(0).total()).isCloseTo(1.75 / 3, within(1e-15));
        assertThat(ranking.ranked().get(0).scores()).containsExactly(0.5, 1.0, 0.25);
    }

    @Test
    void strictZeroExcludesAndNamesTheExcludingPreference() {
        PlacementEngine engine = engine(Map.of(), Map.of("a", 0.0), Map.of());
        PlacementRanking ranking = engine.rank(newVm(vm("vm")), List.of(A, B), false);
        assertThat(ranking.ranked()).extracting(ScoredCandidate::hostname).containsExactly("b");
        assertThat(ranking.excluded()).extracting(ScoredCandidate::hostname).containsExactly("a");
        assertThat(ranking.excluded().get(0).excludedBy()).isEqualTo("p2");
        assertThat(ranking.excluded().get(0).score(2)).isNaN();
    }

    @Test
    void softZeroDividesBySumOverUnmatchedPlusOne() {
        PlacementEngine engine =
                engine(Map.of("a", 0.5, "b", 0.0), Map.of("a", 0.0, "b", 0.0), Map.of("a", 0.25, "b", 0.3));
        PlacementRanking ranking = engine.rank(newVm(vm("vm")), List.of(A, B, C), true);
        // c: 3/1/3 = 1; a: 0.75 / (3 - 2 + 1) / 3 = 0.125; b: 0.3 / (3 - 1 + 1) / 3 = 0.0333…
        assertThat(ranking.ranked()).extracting(ScoredCandidate::hostname).containsExactly("c", "a", "b");
        assertThat(ranking.ranked()).extracting(ScoredCandidate::total).containsExactly(1.0, 0.125, 0.3 / 9);
        assertThat(ranking.excluded()).isEmpty();
    }

    @Test
    void softDropsAHypervisorWhoseEveryScoreIsZero() {
        PlacementEngine engine = engine(Map.of("a", 0.0), Map.of("a", 0.0), Map.of("a", 0.0));
        PlacementRanking ranking = engine.rank(newVm(vm("vm")), List.of(A, B), true);
        assertThat(ranking.ranked()).extracting(ScoredCandidate::hostname).containsExactly("b");
        assertThat(ranking.excluded()).extracting(ScoredCandidate::hostname).containsExactly("a");
    }

    @Test
    void theDefaultListsTotalIsTheMeanOfItsTwelveScores() {
        PlacementCandidate hv =
                hv("hv").poolGiB(1000L).memoryGiB(128L).cpuUtil(10L).iops(10L).build();
        PlacementRanking ranking = new PlacementEngine(DefaultPreferences.list())
                .rank(newVm(vm("vm").disk(10).memory(2048)), List.of(hv), false);
        double disk = 1 - 10.0 / 968; // 1000 - 0 - 32
        double memory = 1 - 2048.0 / (128 * 1024 - 2048);
        double sum = disk + memory + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 0.9 + 0.9 + 1;
        assertThat(ranking.ranked().get(0).total()).isCloseTo(sum / 12, within(1e-12));
        assertThat(ranking.preferences())
                .containsExactly(
                        "enough_disk",
                        "enough_memory",
                        "same_environment",
                        "cpu_usage",
                        "same_group",
                        "db_masters",
                        "jenkins_nodes",
                        "monitoring_workers",
                        "over_allocation",
                        "cpu_util",
                        "iops",
                        "same_project");
    }

    @Test
    void rankingIsStableAndDeterministic() {
        assertStableAndDeterministic(200);
    }

    @Test
    void rankingOfAFleetScoredInParallelChunksIsStableAndDeterministicToo() {
        assertStableAndDeterministic(PlacementEngine.PARALLEL_FROM + 1000);
    }

    /** Hypervisors in hostname order whose totals take only 4 values: ties keep that order. */
    static void assertStableAndDeterministic(int count) {
        List<PlacementCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            candidates.add(hv(String.format("hv%05d", i))
                    .cpuUtil((long) (i % 4) * 10)
                    .with(vm("x" + i))
                    .build());
        }
        PlacementEngine engine = new PlacementEngine(DefaultPreferences.list());
        PlacementRanking first = engine.rank(newVm(vm("vm")), candidates, false);
        List<String> order =
                first.ranked().stream().map(ScoredCandidate::hostname).toList();
        assertThat(order).hasSize(count);
        assertThat(order.subList(0, 3)).containsExactly("hv00000", "hv00004", "hv00008");
        for (int i = 1; i < order.size(); i++) {
            ScoredCandidate previous = first.ranked().get(i - 1);
            ScoredCandidate current = first.ranked().get(i);
            assertThat(previous.total()).isGreaterThanOrEqualTo(current.total());
            if (previous.total() == current.total()) {
                assertThat(previous.hostname()).isLessThan(current.hostname());
            }
        }
        for (int run = 0; run < 5; run++) {
            assertThat(engine.rank(newVm(vm("vm")), candidates, false).ranked())
                    .extracting(ScoredCandidate::hostname)
                    .containsExactlyElementsOf(order);
        }
        List<PlacementCandidate> shuffled = new ArrayList<>(candidates);
        java.util.Collections.shuffle(shuffled, new Random(7));
        List<String> reordered = engine.rank(newVm(vm("vm")), shuffled, false).ranked().stream()
                .map(ScoredCandidate::hostname)
                .toList();
        assertThat(reordered).containsExactlyInAnyOrderElementsOf(order).isNotEqualTo(order);
    }

    @Test
    void aScoreOutsideZeroToOneIsAProgrammingError() {
        PlacementEngine engine = new PlacementEngine(List.of(new FixedScores("broken", Map.of("a", 1.5))));
        assertThatThrownBy(() -> engine.rank(newVm(vm("vm")), List.of(A), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken scored 1.5 for a");
    }
}
