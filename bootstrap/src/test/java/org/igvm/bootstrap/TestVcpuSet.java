package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.ChangeResult;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.OutOfSyncException;
import org.igvm.api.RefusedException;
import org.igvm.api.VcpuSetRequest;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * igvm vcpu-set on the test driver: web01 (2 vCPUs, redefined by igvm so it can take up to 16) on
 * hv01 (16 cores), its guest faked from the domain's state.
 */
class TestVcpuSet {
    static final String HV = ResizeFleet.HV1;
    static final String WEB01 = "web01.example.net";
    static final String DOMAIN = "4242_web01.example.net";

    @TempDir
    Path dir;

    ResizeFleet f;

    @BeforeEach
    void fleet() throws Exception {
        f = new ResizeFleet(dir);
        f.redefineFromInventory("web01");
    }

    @AfterEach
    void close() {
        f.close();
    }

    ResizeSnapshot snapshot() {
        return ResizeSnapshot.of(f, HV, WEB01);
    }

    @Test
    void aLiveIncreaseHotAddsPinsAndOnlinesTheVcpusThenCommits() {
        ChangeResult r = f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "+2").build());

        assertThat(r)
                .extracting(ChangeResult::before, ChangeResult::after, ChangeResult::how)
                .containsExactly("2", "4", "live");
        assertThat(f.hypervisors().findDomain(HV, 4242).orElseThrow())
                .extracting(d -> d.vcpus(), d -> d.state())
                .containsExactly(4, DomainState.RUNNING);
        assertThat(f.hypervisors().vcpuPinning(HV, DOMAIN))
                .extracting(DomainSpec.VcpuPin::cpuset)
                .hasSize(4)
                .containsOnly("0-15");
        // the guest was asked to online its CPUs and showed 4
        assertThat(f.hosts.commands)
                .anySatisfy(c -> assertThat(c).contains("/sys/devices/system/cpu/cpu[0-9]*/online"));
        assertThat(f.object(WEB01).integer("num_cpu")).isEqualTo(4);
        assertThat(f.object(WEB01).string("igvm_locked")).isNullOrEmpty();
    }

    @Test
    void theSameCountWarnsAndChangesNothing() {
        ResizeSnapshot before = snapshot();

        ChangeResult r = f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "2").build());

        assertThat(r.changed()).isFalse();
        assertThat(r.warnings()).containsExactly(WEB01 + " already has 2 vCPUs; nothing changed");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "-5", "17", "+15", "abc", "1.5", "", "2G"})
    void badCountsAreRefusedAndChangeNothing(String count) {
        ResizeSnapshot before = snapshot();

        Throwable thrown = catchThrowable(
                () -> f.igvm().vcpuSet(VcpuSetRequest.builder("web01", count).build()));

        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badCountsSayWhy() {
        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "0").build())))
                .hasMessage(WEB01 + " cannot have 0 vCPUs: at least 1");
        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "17").build())))
                .hasMessage(WEB01 + " cannot have 17 vCPUs: " + HV + " has only 16 cores");
        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "x").build())))
                .hasMessageStartingWith("invalid vCPU count 'x'");
    }

    @Test
    void aLiveDecreaseIsRefusedUnlessOffline() {
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "1").build())))
                .isInstanceOf(RefusedException.class)
                .hasMessage(WEB01 + " runs: removing vCPUs (2 -> 1) needs --offline (shut down, redefine, start)");
        assertThat(snapshot()).isEqualTo(before);

        ChangeResult r = f.igvm()
                .vcpuSet(VcpuSetRequest.builder("web01", "-1").offline(true).build());

        assertThat(r.how()).isEqualTo("offline");
        assertThat(f.hypervisors().findDomain(HV, 4242).orElseThrow())
                .extracting(d -> d.vcpus(), d -> d.state())
                .containsExactly(1, DomainState.RUNNING);
        assertThat(f.hypervisors().definitionXml(HV, DOMAIN)).contains("current='1'");
        assertThat(f.object(WEB01).integer("num_cpu")).isEqualTo(1);
    }

    @Test
    void aStoppedVmIsRedefinedAndStaysOff() {
        f.hypervisors().destroy(HV, DOMAIN);

        ChangeResult r = f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "6").build());

        assertThat(r.how()).isEqualTo("stopped");
        assertThat(f.state(HV, 4242)).isEqualTo(DomainState.SHUTOFF);
        assertThat(f.hypervisors().findDomain(HV, 4242).orElseThrow().vcpus()).isEqualTo(6);
        assertThat(f.object(WEB01).integer("num_cpu")).isEqualTo(6);
    }

    @Test
    void anOutOfSyncVmIsRefused() {
        f.fleet.set(WEB01, "num_cpu", 3L);
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "4").build())))
                .isInstanceOf(OutOfSyncException.class)
                .hasMessageStartingWith(WEB01 + " is out of sync: num_cpu 3 (inventory) != 2 (actual)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRetiredVmIsRefused() {
        f.fleet.set(WEB01, "state", "retired");
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() ->
                        f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "4").build())))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith(WEB01 + " is retired; vcpu-set refuses retired VMs");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aGuestThatDoesNotOnlineTheVcpusIsUndone() {
        f.hosts.guestOnlinesResources = false;
        ResizeSnapshot before = snapshot();

        Throwable thrown = catchThrowable(
                () -> f.igvm().vcpuSet(VcpuSetRequest.builder("web01", "4").build()));

        assertThat(thrown)
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith(WEB01 + " does not show 4 CPUs online within 60 s (it shows: 1 CPUs online)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void aLiveIncreaseCancelledAtAnyStepLeavesTheVmRunningAsItWas(Fault then) {
        cancelAtEveryStep(then, VcpuSetRequest.builder("web01", "4").build(), 4);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void anOfflineDecreaseCancelledAtAnyStepStartsTheVmAgainAsItWas(Fault then) {
        cancelAtEveryStep(
                then, VcpuSetRequest.builder("web01", "1").offline(true).build(), 1);
    }

    private void cancelAtEveryStep(Fault then, VcpuSetRequest request, int finalCount) {
        ResizeSnapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            Throwable thrown = catchThrowable(() -> f.igvm(harness, step, then).vcpuSet(request));
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
        assertThat(f.hypervisors().findDomain(HV, 4242).orElseThrow().vcpus()).isEqualTo(finalCount);
        assertThat(f.object(WEB01).integer("num_cpu")).isEqualTo(finalCount);
    }
}
