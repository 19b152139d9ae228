package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.placement.ChosenHypervisor;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.PlacementPlan;
import org.igvm.domain.placement.PlacementRequest;
import org.igvm.domain.placement.ScoredCandidate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement against the example fleet: SQLite inventory, hypervisors on libvirt's test driver (16
 * CPUs, 8 GiB, 100 GiB pool each; hv01 runs web01 and db01, hv02 runs web02).
 */
class TestHypervisorPlacement {
    @TempDir
    Path dir;

    TestFleet fleet;
    HypervisorPlacement placement;

    @BeforeEach
    void createFleet() throws Exception {
        fleet = TestFleet.create(dir, Map.of());
        placement = fleet.runtime.injector().getInstance(HypervisorPlacement.class);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    static PlacementRequest request(String vm, String query) {
        return new PlacementRequest(vm, query, false, false, false, false);
    }

    @Test
    void aVmWithoutHypervisorGoesToTheHypervisorWithRoomAndThePlanChangesNothing() {
        PlacementPlan plan = placement.plan(request("new01", null));
        // hv01: 8 GiB − (2048 + 4096) − 2048 reserve = 0 MiB left < 2048 → excluded by enough_memory
        assertThat(plan.ranking().ranked())
                .extracting(ScoredCandidate::hostname)
                .containsExactly("hv02.example.net");
        assertThat(plan.ranking().excluded())
                .extracting(ScoredCandidate::excludedBy)
                .containsExactly("enough_memory");
        assertThat(plan.filter()).isEqualTo("servertype=hypervisor state=online vlan_networks=net-a");
        assertThat(plan.chosen()).isEqualTo("hv02.example.net");
        assertThat(fleet.object("hv02.example.net").isEmpty("igvm_locked")).isTrue();
    }

    @Test
    void choosingLocksTheWinnerUntilClosed() {
        try (ChosenHypervisor chosen = placement.choose(request("new01", null))) {
            assertThat(chosen.hypervisor().hostname()).isEqualTo("hv02.example.net");
            assertThat(fleet.object("hv02.example.net").isEmpty("igvm_locked")).isFalse();
        }
        assertThat(fleet.object("hv02.example.net").isEmpty("igvm_locked")).isTrue();
    }

    @Test
    void hardCheckRefusesNotEnoughLiveMemory() {
        // pinned: preferences do not exclude it, the live check does
        assertThatThrownBy(() -> placement.plan(request("new01", "hv01.example.net")))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith(
                        "hv01.example.net cannot take new01.example.net: not enough memory: 0 MiB free");
    }

    @Test
    void hardCheckRefusesMoreVcpusThanTheHypervisorHasCores() {
        fleet.set("new01.example.net", "num_cpu", 32L);
        assertThatThrownBy(() -> placement.plan(request("new01", "hv02")))
                .isInstanceOf(RefusedException.class)
                .hasMessage("hv02.example.net cannot take new01.example.net: not enough cores: 16 < 32");
    }

    @Test
    void hardCheckRefusesNotEnoughDisk() {
        fleet.set("new01.example.net", "disk_size_gib", 99L);
        // hv02's pool: 100 GiB − 10 GiB of web02 = 90 GiB available, minus 5 GiB reserve
        assertThatThrownBy(() -> placement.plan(request("new01", "hv02")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("not enough disk in pool xen-data: 85 GiB free after the 5 GiB reserve");
    }

    @Test
    void aReviewShowsTheRankingAndEachFailedCheckWhenNoHypervisorPasses() {
        fleet.set("web02.example.net", "hypervisor", null);
        PlacementPlan plan = placement.review(request("web02", "hv02.*"));
        assertThat(plan.chosen()).isNull();
        assertThat(plan.ranking().ranked())
                .extracting(ScoredCandidate::hostname)
                .containsExactly("hv02.example.net");
        assertThat(plan.checked()).hasSize(1);
        assertThat(plan.checked().get(0).hostname()).isEqualTo("hv02.example.net");
        assertThat(plan.checked().get(0).reason()).contains("already defined there as 4244_web02.example.net");
        // plan() still refuses, naming the reason.
        assertThatThrownBy(() -> placement.plan(request("web02", "hv02.*")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("already defined there");
    }

    @Test
    void hardCheckRefusesAHypervisorWithoutTheVmsNetwork() {
        long hv02 = fleet.object("hv02.example.net").objectId();
        fleet.inventory()
                .commit(Commit.of(new ObjectChange(
                        hv02, Map.of("vlan_networks", new AttributeUpdate.Multi(List.of(), List.of("net-a"))))));
        assertThatThrownBy(() -> placement.plan(request("new01", "hv02")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("does not serve the VM's network net-a");
    }

    @Test
    void hardCheckRefusesAHypervisorWhereTheVmIsAlreadyDefined() {
        fleet.set("web02.example.net", "hypervisor", null);
        assertThatThrownBy(() -> placement.plan(request("web02", "hv02")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("already defined there as 4244_web02.example.net");
    }

    @Test
    void onlineMigrationBetweenAnIncompatibleOsPairIsRefusedButOfflineIsChecked() {
        fleet.set("hv01.example.net", "os", "trixie");
        if (!fleet.domain("hv02.example.net", 4244).isRunning()) {
            fleet.hypervisors().start("hv02.example.net", "4244_web02.example.net");
        }
        assertThatThrownBy(() -> placement.plan(request("web02", "hv01")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("online migration from bookworm to trixie is not allowed");
        assertThatThrownBy(() -> placement.plan(new PlacementRequest("web02", "hv01", true, false, false, false)))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("not enough memory");
    }

    @Test
    void aRetiredPinnedHypervisorIsRefusedInOneLine() {
        fleet.set("hv02.example.net", "state", "retired");
        assertThatThrownBy(() -> placement.plan(request("new01", "hv02")))
                .isInstanceOf(RefusedException.class)
                .hasMessage("hv02.example.net is retired; new01.example.net can only go to a hypervisor in state"
                        + " online");
    }

    @Test
    void badTargetQueriesAreOneClearLine() {
        assertThatThrownBy(() -> placement.plan(request("new01", "state=Any(online")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unclosed function");
        assertThatThrownBy(() -> placement.plan(request("new01", "nothing.* num_cpu=GreaterThan(1)")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no hypervisor matches the placement filter");
        assertThatThrownBy(() -> placement.plan(request("new01", "state=online_reserved num_cpu=16")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("conflicts with placement's state=online; use --ignore-reserved");
        assertThat(fleet.object("hv01.example.net").isEmpty("igvm_locked")).isTrue();
        assertThat(fleet.object("hv02.example.net").isEmpty("igvm_locked")).isTrue();
    }

    @Test
    void aMergedQueryNarrowsTheCandidatesAndTheErrorShowsFilterAndReasons() {
        assertThatThrownBy(() -> placement.plan(request("new01", "hv01.* num_cpu=16")))
                .isInstanceOf(RefusedException.class)
                .hasMessage("no hypervisor can take new01.example.net (filter 'servertype=hypervisor state=online"
                        + " vlan_networks=net-a hostname=Regexp(hv01.*) num_cpu=16'): hv01.example.net: excluded by"
                        + " preference enough_memory");
    }

    @Test
    void twoPlacementsRacingForTheLastHypervisorWithRoomExactlyOneGetsIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> attempts = new ArrayList<>();
        for (String vm : List.of("new01", "new01")) {
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    return placement.choose(request(vm, null));
                } catch (RefusedException lost) {
                    return lost;
                }
            }));
        }
        start.countDown();
        List<ChosenHypervisor> winners = new ArrayList<>();
        List<RefusedException> losers = new ArrayList<>();
        for (Future<Object> attempt : attempts) {
            Object result = attempt.get(60, TimeUnit.SECONDS);
            if (result instanceof ChosenHypervisor c) {
                winners.add(c);
            } else {
                losers.add((RefusedException) result);
            }
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(winners.get(0).hypervisor().hostname()).isEqualTo("hv02.example.net");
        assertThat(losers).hasSize(1);
        assertThat(losers.get(0)).hasMessageContaining("hv02.example.net: locked by another igvm");
        winners.get(0).close();
        assertThat(fleet.object("hv02.example.net").isEmpty("igvm_locked")).isTrue();
    }
}
