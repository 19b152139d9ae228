package org.igvm.domain.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.igvm.domain.placement.PlacementExamples.hv;
import static org.igvm.domain.placement.PlacementExamples.newVm;
import static org.igvm.domain.placement.PlacementExamples.vm;

import org.junit.jupiter.api.Test;

class TestInsufficientResource {
    static final InsufficientResource DISK = new InsufficientResource("enough_disk", PlacementResource.DISK, 1, 32);
    static final InsufficientResource MEMORY =
            new InsufficientResource("enough_memory", PlacementResource.MEMORY, 1024, 2048);

    @Test
    void diskScoresOneMinusVmOverRemainingAfterNonRetiredVmsAndReserve() {
        PlacementCandidate hv = hv("hv1")
                .poolGiB(1000L)
                .with(vm("a").disk(10), vm("b").disk(20), vm("old").disk(500).state("retired"))
                .build();
        // remaining = 1000 - (10 + 20) - 32 = 938; score = 1 - 10/938
        assertThat(DISK.prepare(newVm(vm("new").disk(10))).score(hv)).isCloseTo(928.0 / 938, within(1e-12));
    }

    @Test
    void diskBelowTheVmsSizeScoresZeroAndAnExactFitScoresZeroToo() {
        PlacementCandidate full = hv("hv1").poolGiB(100L).with(vm("a").disk(60)).build(); // remaining 8
        PlacementCandidate exact =
                hv("hv2").poolGiB(100L).with(vm("a").disk(58)).build(); // remaining 10
        assertThat(DISK.prepare(newVm(vm("new").disk(10))).score(full)).isEqualTo(0.0);
        assertThat(DISK.prepare(newVm(vm("new").disk(10))).score(exact)).isEqualTo(0.0);
    }

    @Test
    void anEmptyOrZeroPoolTotalIsAFreshHypervisorAndScoresOne() {
        assertThat(DISK.prepare(newVm(vm("new"))).score(hv("hv1").poolGiB(null).build()))
                .isEqualTo(1.0);
        assertThat(DISK.prepare(newVm(vm("new"))).score(hv("hv1").poolGiB(0L).build()))
                .isEqualTo(1.0);
    }

    @Test
    void memoryMultipliesGibByTenTwentyFourAndKeepsTheReserve() {
        PlacementCandidate small = hv("hv1")
                .memoryGiB(8L)
                .with(vm("a").memory(2048), vm("b").memory(4096))
                .build();
        PlacementCandidate big = hv("hv2")
                .memoryGiB(16L)
                .with(vm("a").memory(2048), vm("b").memory(4096))
                .build();
        // small: 8192 - 6144 - 2048 = 0 < 2048; big: 16384 - 6144 - 2048 = 8192 → 1 - 2048/8192
        assertThat(MEMORY.prepare(newVm(vm("new").memory(2048))).score(small)).isEqualTo(0.0);
        assertThat(MEMORY.prepare(newVm(vm("new").memory(2048))).score(big)).isEqualTo(0.75);
    }
}
