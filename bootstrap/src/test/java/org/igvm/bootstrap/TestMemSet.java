package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.ChangeResult;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MemSetRequest;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * igvm mem-set on the test driver: web02 (2048 MiB, redefined by igvm with room for hot-plug) on
 * hv02 (8 GiB, one NUMA node, 2048 MiB kept for itself: 4046 MiB free). The driver cannot hot-plug
 * memory; {@link DriverGaps} records the modules and shows them in the domain's memory.
 */
class TestMemSet {
    static final String HV = ResizeFleet.HV2;
    static final String WEB02 = "web02.example.net";
    static final String DOMAIN = "4244_web02.example.net";

    @TempDir
    Path dir;

    ResizeFleet f;

    @BeforeEach
    void fleet() throws Exception {
        f = new ResizeFleet(dir);
        f.redefineFromInventory("web02");
    }

    @AfterEach
    void close() {
        f.close();
    }

    ResizeSnapshot snapshot() {
        return ResizeSnapshot.of(f, HV, WEB02);
    }

    @Test
    void aLiveIncreaseHotPlugsAModulePerNumaNodeAndCommits() {
        ChangeResult r = f.igvm().memSet(MemSetRequest.builder("web02", "+1G").build());

        assertThat(r)
                .extracting(ChangeResult::before, ChangeResult::after, ChangeResult::how)
                .containsExactly("2048", "3072", "live");
        assertThat(f.gaps.calls).containsExactly("attachMemory " + DOMAIN + " cell 0 1024 MiB");
        assertThat(f.hypervisors().findDomain(HV, 4244).orElseThrow().memoryMiB())
                .isEqualTo(3072);
        assertThat(f.state(HV, 4244)).isEqualTo(DomainState.RUNNING);
        assertThat(f.object(WEB02).integer("memory")).isEqualTo(3072);
        assertThat(f.object(WEB02).string("igvm_locked")).isNullOrEmpty();
    }

    @Test
    void theSameSizeInAnyUnitWarnsAndChangesNothing() {
        ResizeSnapshot before = snapshot();

        ChangeResult r = f.igvm().memSet(MemSetRequest.builder("web02", "2GiB").build());

        assertThat(r.changed()).isFalse();
        assertThat(r.warnings()).containsExactly(WEB02 + " already has 2048 MiB of memory; nothing changed");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2G", "-3G", "+100", "2000", "1.5M", "12X", "", "+5G", "8G"})
    void badSizesAreRefusedAndChangeNothing(String size) {
        ResizeSnapshot before = snapshot();

        Throwable thrown = catchThrowable(
                () -> f.igvm().memSet(MemSetRequest.builder("web02", size).build()));

        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.gaps.calls).isEmpty();
    }

    @Test
    void badSizesSayWhy() {
        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "+100").build())))
                .hasMessage(WEB02 + " cannot have 2148 MiB: memory on " + HV
                        + " goes in steps of 128 MiB (1 NUMA node × 128 MiB); try 2176 MiB");
        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "+5G").build())))
                .hasMessage(WEB02 + " cannot grow by 5120 MiB: " + HV + " has 4046 MiB free (8192 total − 2048"
                        + " reserved − 2098 for 1 domains with their overhead)");
        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "1.5M").build())))
                .hasMessageStartingWith("invalid size '1.5M': it is not a whole number of MiB");
    }

    @Test
    void fromSixtyThreeGibMemoryGoesInTwoGibSteps() {
        // hv02 does not have that much: the granularity is checked first
        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "64640").build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("steps of 2048 MiB (1 NUMA node, 2 GiB from 63 GiB on)");
    }

    @Test
    void aLiveDecreaseIsRefusedUnlessOffline() {
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "1G").build())))
                .isInstanceOf(RefusedException.class)
                .hasMessage(WEB02 + " runs: removing memory (2048 -> 1024 MiB) needs --offline (shut down,"
                        + " redefine, start)");
        assertThat(snapshot()).isEqualTo(before);

        ChangeResult r = f.igvm()
                .memSet(MemSetRequest.builder("web02", "-1G").offline(true).build());

        assertThat(r.how()).isEqualTo("offline");
        assertThat(f.hypervisors().findDomain(HV, 4244).orElseThrow())
                .extracting(d -> d.memoryMiB(), d -> d.state())
                .containsExactly(1024L, DomainState.RUNNING);
        assertThat(f.gaps.calls).isEmpty();
        assertThat(f.object(WEB02).integer("memory")).isEqualTo(1024);
    }

    @Test
    void aGuestThatDoesNotShowTheMemoryGetsTheModuleUnplugged() {
        f.hosts.guestOnlinesResources = false;
        ResizeSnapshot before = snapshot();

        Throwable thrown = catchThrowable(
                () -> f.igvm().memSet(MemSetRequest.builder("web02", "+1G").build()));

        assertThat(thrown)
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith(WEB02 + " does not show MemTotal of about");
        assertThat(f.gaps.calls)
                .containsExactly(
                        "attachMemory " + DOMAIN + " cell 0 1024 MiB", "detachMemory " + DOMAIN + " cell 0 1024 MiB");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailingHotPlugChangesNothing() {
        f.gaps.failing = "attachMemory";
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() ->
                        f.igvm().memSet(MemSetRequest.builder("web02", "+1G").build())))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("injected failure");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void aLiveIncreaseCancelledAtAnyStepLeavesTheVmRunningAsItWas(Fault then) {
        cancelAtEveryStep(then, MemSetRequest.builder("web02", "+512M").build(), 2560);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void anOfflineDecreaseCancelledAtAnyStepStartsTheVmAgainAsItWas(Fault then) {
        cancelAtEveryStep(
                then, MemSetRequest.builder("web02", "1024").offline(true).build(), 1024);
    }

    private void cancelAtEveryStep(Fault then, MemSetRequest request, long finalMiB) {
        ResizeSnapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            Throwable thrown = catchThrowable(() -> f.igvm(harness, step, then).memSet(request));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the uncancelled change").isNull();
                steps = n - 1;
                break;
            }
            String at = "cancelled at step " + n + " (" + harness.get().firedAt() + ", " + then + ")";
            if (thrown == null) {
                steps = n;
                break;
            }
            assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            assertThat(snapshot()).as(at).isEqualTo(before);
        }
        assertThat(steps).isGreaterThanOrEqualTo(8);
        assertThat(f.hypervisors().findDomain(HV, 4244).orElseThrow().memoryMiB())
                .isEqualTo(finalMiB);
        assertThat(f.object(WEB02).integer("memory")).isEqualTo(finalMiB);
    }
}
