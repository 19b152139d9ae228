package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.igvm.bootstrap.EvacuationFleet.HV1;
import static org.igvm.bootstrap.EvacuationFleet.HV2;
import static org.igvm.bootstrap.EvacuationFleet.HV3;
import static org.igvm.bootstrap.EvacuationFleet.VMS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.EvacuateRequest;
import org.igvm.api.EvacuationPlan;
import org.igvm.api.EvacuationProgress;
import org.igvm.api.EvacuationResult;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MigrationPlan;
import org.igvm.api.MigrationProgress;
import org.igvm.api.NotFoundException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.api.VmEvacuation;
import org.igvm.api.VmEvacuation.Outcome;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.EvacuateHypervisor;
import org.igvm.domain.command.MigrateVm;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.transport.MigrationMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * igvm evacuate on three test-driver hypervisors ({@link EvacuationFleet}) with the recording
 * transport: the plan counts the VMs planned before, the batch runs in parallel within the
 * per-target limit, a failing VM rolls back while the others move, and a cancellation leaves
 * nothing half-moved.
 */
class TestEvacuateHypervisor {
    @TempDir
    Path dir;

    IgvmRuntime runtime;
    RecordingTransport copy = new RecordingTransport("testcopy", Set.of(MigrationMode.OFFLINE, MigrationMode.ONLINE));

    void start(boolean inventoryMemory) throws Exception {
        runtime = EvacuationFleet.start(dir, inventoryMemory);
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    CommandEnvironment env() {
        return runtime.injector().getInstance(CommandEnvironment.class);
    }

    HypervisorPort hypervisors() {
        return runtime.injector().getInstance(HypervisorPort.class);
    }

    EvacuateHypervisor evacuate() {
        MigrateVm migrate = new MigrateVm(
                env(), runtime.injector().getInstance(PlacementSettings.class), TestMigrateVm.registry(copy));
        return new EvacuateHypervisor(env(), migrate);
    }

    static EvacuateRequest.Builder offline() {
        return EvacuateRequest.builder(HV1).offline().offlineTransport("testcopy");
    }

    ServerObject object(String hostname) {
        return runtime.inventory().query(Query.where("hostname", hostname)).get(0);
    }

    String inventory() {
        StringBuilder text = new StringBuilder();
        for (ServerObject o : runtime.inventory().query(new Query(Map.of()))) {
            text.append(o.objectId())
                    .append(new java.util.TreeMap<>(o.attributes()))
                    .append('\n');
        }
        return text.toString();
    }

    /** Where each VM's domain is, and whether it runs: what the hypervisors say. */
    Map<String, String> whereTheDomainsAre() {
        Map<String, String> where = new HashMap<>();
        for (String hv : List.of(HV1, HV2, HV3)) {
            for (DomainInfo d : hypervisors().domains(hv)) {
                where.merge(d.name().substring(5), hv + (d.isRunning() ? " running" : " off"), (x, y) -> x + ", " + y);
            }
        }
        return where;
    }

    /** Counts this session down and waits for the others, at most 20 s; whether all met. */
    static boolean meet(CountDownLatch sessions) {
        sessions.countDown();
        return awaitQuietly(sessions);
    }

    static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records when each migration starts and ends, per target, to find the most at once. */
    static final class Timeline implements EvacuationProgress {
        final Map<String, AtomicInteger> incoming = new HashMap<>();
        final Map<String, Integer> mostIncoming = new HashMap<>();
        final AtomicInteger runningNow = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();
        final List<VmEvacuation> finished = new ArrayList<>();
        final Map<String, String> targetOf = new HashMap<>();

        @Override
        public synchronized MigrationProgress started(String vm, String target, String mode, String transport) {
            targetOf.put(vm, target);
            int now = incoming.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
            mostIncoming.merge(target, now, Math::max);
            mostRunning.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
            return MigrationProgress.none();
        }

        @Override
        public synchronized void finished(VmEvacuation outcome) {
            incoming.get(targetOf.get(outcome.vm())).decrementAndGet();
            runningNow.decrementAndGet();
            finished.add(outcome);
        }
    }

    @ParameterizedTest(name = "hypervisor memory in the inventory: {0}")
    @ValueSource(booleans = {true, false})
    void thePlanCountsTheVmsPlannedBeforeSoNoTargetIsOverfilled(boolean inventoryMemory) throws Exception {
        start(inventoryMemory);
        String before = inventory();

        EvacuationPlan plan = evacuate().plan(offline().build());

        // hv2 ranks best and fits each VM alone, but only one: the other two go to hv3.
        assertThat(plan.moves()).extracting(MigrationPlan::target).containsExactly(HV2, HV3, HV3);
        assertThat(plan.moves()).extracting(MigrationPlan::vm).containsExactlyElementsOf(VMS);
        assertThat(plan.unplaced()).isEmpty();
        assertThat(plan.moves()).allSatisfy(m -> assertThat(m.mode()).isEqualTo("offline"));
        assertThat(inventory()).as("a plan changes nothing").isEqualTo(before);
    }

    @Test
    void aDryRunChangesNothingNotEvenTheHypervisorsState() throws Exception {
        start(true);
        String before = inventory();
        Map<String, String> domains = whereTheDomainsAre();

        EvacuationResult result = evacuate().run(offline().dryRun(true).build());

        assertThat(result.dryRun()).isTrue();
        assertThat(result.plan().moves()).hasSize(3);
        assertThat(inventory()).isEqualTo(before);
        assertThat(whereTheDomainsAre()).isEqualTo(domains);
        assertThat(copy.calls).isEmpty();
    }

    @Test
    void parallelTwoMovesAllThreeNeverTwoIntoOneTargetAtOnce() throws Exception {
        start(true);
        // The first two migrations meet in their transfer: proof that two run at once.
        CountDownLatch bothCopying = new CountDownLatch(2);
        copy.onTransfer = context -> meet(bothCopying);
        Timeline timeline = new Timeline();

        EvacuationResult result =
                evacuate().run(offline().parallel(2).progress(timeline).build());

        assertThat(result.vms()).extracting(VmEvacuation::outcome).containsOnly(Outcome.MOVED);
        assertThat(result.notMoved()).isEmpty();
        assertThat(bothCopying.getCount()).isZero();
        assertThat(timeline.mostRunning.get()).isEqualTo(2);
        assertThat(timeline.mostIncoming).containsEntry(HV2, 1).containsEntry(HV3, 1);
        assertThat(hypervisors().domains(HV1)).isEmpty();
        assertThat(whereTheDomainsAre())
                .containsEntry("a.evac.test", HV2 + " running")
                .containsEntry("b.evac.test", HV3 + " running")
                .containsEntry("c.evac.test", HV3 + " running");
        for (String vm : VMS) {
            ServerObject o = object(vm);
            assertThat(o.string("hypervisor"))
                    .isEqualTo(whereTheDomainsAre().get(vm).split(" ")[0]);
            assertThat(o.state()).isEqualTo("online");
            assertThat(o.string("igvm_locked")).isNullOrEmpty();
        }
        assertThat(object(HV1).state()).isEqualTo("online_reserved");
        assertThat(result.stateAfter()).isEqualTo("online_reserved");
        for (String hv : List.of(HV1, HV2, HV3)) {
            assertThat(object(hv).string("igvm_locked")).as(hv + " lock").isNullOrEmpty();
        }
    }

    @Test
    void aFailingVmRollsBackWhileTheOthersMoveAndItsTargetsNextVmIsPlannedAgain() throws Exception {
        start(false);
        // b's migration (planned to hv3) fails in its transfer; c, planned to hv3 after it, goes to
        // hv3 still or elsewhere, but moves.
        copy.onTransfer = context -> {
            if (context.vm().hostname().equals("b.evac.test")) {
                throw new OperationFailedException("injected failure copying b.evac.test");
            }
        };
        Timeline timeline = new Timeline();

        EvacuationResult result = evacuate().run(offline().progress(timeline).build());

        assertThat(result.vms())
                .extracting(VmEvacuation::vm, VmEvacuation::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a.evac.test", Outcome.MOVED),
                        org.assertj.core.groups.Tuple.tuple("b.evac.test", Outcome.FAILED),
                        org.assertj.core.groups.Tuple.tuple("c.evac.test", Outcome.MOVED));
        assertThat(result.vms().get(1).error()).contains("injected failure copying b.evac.test");
        assertThat(result.notMoved()).containsExactly("b.evac.test");
        // b is on hv1 as before, running, and nothing of it is on hv3.
        assertThat(whereTheDomainsAre()).containsEntry("b.evac.test", HV1 + " running");
        assertThat(hypervisors().findVolume(HV3, "xen-data", EvacuationFleet.id("b.evac.test")))
                .isEmpty();
        assertThat(object("b.evac.test").string("hypervisor")).isEqualTo(HV1);
        assertThat(object("b.evac.test").state()).isEqualTo("online");
        assertThat(object("c.evac.test").string("hypervisor")).isNotEqualTo(HV1);
        assertThat(object(HV1).state()).isEqualTo("online_reserved");
    }

    @Test
    void cancellingMidEvacuationRollsBackWhatWasMovingAndStartsNothingMore() throws Exception {
        start(true);
        // Ctrl-C while the first two copy at once.
        CountDownLatch bothCopying = new CountDownLatch(2);
        // The other copy waits for the cancel, or it could check before a has cancelled and move.
        CountDownLatch cancelled = new CountDownLatch(1);
        copy.onTransfer = context -> {
            if (meet(bothCopying)) {
                if (context.vm().hostname().equals("a.evac.test")) {
                    env().operations().cancelAll(null);
                    cancelled.countDown();
                } else {
                    awaitQuietly(cancelled);
                }
            }
            context.cancellation().throwIfCancelled();
        };

        EvacuationResult result = evacuate().run(offline().parallel(2).build());

        assertThat(result.cancelled()).isTrue();
        assertThat(result.vms())
                .extracting(VmEvacuation::outcome)
                .containsExactly(Outcome.CANCELLED, Outcome.CANCELLED, Outcome.NOT_STARTED);
        assertThat(hypervisors().domains(HV2)).isEmpty();
        assertThat(hypervisors().domains(HV3)).isEmpty();
        for (String vm : VMS) {
            assertThat(whereTheDomainsAre()).containsEntry(vm, HV1 + " running");
            assertThat(object(vm).string("hypervisor")).isEqualTo(HV1);
            assertThat(object(vm).state()).isEqualTo("online");
            assertThat(object(vm).string("igvm_locked")).isNullOrEmpty();
        }
        // Nothing moved: the hypervisor's state is back.
        assertThat(object(HV1).state()).isEqualTo("online");
        assertThat(object(HV1).string("igvm_locked")).isNullOrEmpty();
        assertThat(result.notMoved()).containsExactlyElementsOf(VMS);
    }

    @Test
    void aVmWithoutRoomRefusesTheWholeEvacuationUnlessPartial() throws Exception {
        start(true);
        // hv3 out of the question: only hv2 is left, with room for one.
        String before = inventory();

        Throwable refused = catchThrowable(() -> evacuate()
                .run(offline().hypervisorQuery("hostname=Any(" + HV2 + ")").build()));

        assertThat(refused).isInstanceOf(RefusedException.class).hasMessageContaining("no hypervisor can take");
        assertThat(refused.getMessage()).contains("b.evac.test", "c.evac.test", "--partial");
        assertThat(inventory()).isEqualTo(before);
        assertThat(copy.calls).isEmpty();

        EvacuationResult partial = evacuate()
                .run(offline()
                        .hypervisorQuery("hostname=Any(" + HV2 + ")")
                        .partial(true)
                        .build());

        assertThat(partial.vms()).extracting(VmEvacuation::vm).containsExactly("a.evac.test");
        assertThat(partial.vms().get(0).outcome()).isEqualTo(Outcome.MOVED);
        assertThat(partial.notMoved()).containsExactly("b.evac.test", "c.evac.test");
        assertThat(object("a.evac.test").string("hypervisor")).isEqualTo(HV2);
    }

    @Test
    void anEmptyHypervisorIsSetReservedAndSaysSo() throws Exception {
        start(true);

        EvacuationResult result = evacuate().run(EvacuateRequest.builder(HV2).build());

        assertThat(result.plan().moves()).isEmpty();
        assertThat(result.stateAfter()).isEqualTo("online_reserved");
        assertThat(object(HV2).state()).isEqualTo("online_reserved");
    }

    @Test
    void badInputIsOneClearErrorAndChangesNothing() throws Exception {
        start(true);
        String before = inventory();

        assertThat(catchThrowable(() -> evacuate()
                        .run(EvacuateRequest.builder("a.evac.test")
                                .offline()
                                .offlineTransport("testcopy")
                                .build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a.evac.test is a vm, not a hypervisor; evacuate empties a hypervisor"
                        + " (to move one VM: igvm migrate a.evac.test)");
        assertThat(catchThrowable(() -> evacuate()
                        .run(EvacuateRequest.builder("nosuch")
                                .offline()
                                .offlineTransport("testcopy")
                                .build())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no hypervisor named 'nosuch' in the inventory");
        assertThat(catchThrowable(() -> EvacuateRequest.builder(HV1).parallel(0).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--parallel must be at least 1, got 0");
        assertThat(catchThrowable(
                        () -> EvacuateRequest.builder(HV1).maxPerTarget(-1).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--max-per-target must be at least 1, got -1");
        assertThat(catchThrowable(() ->
                        evacuate().run(offline().hypervisorQuery("num_cpu=abc").build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("num_cpu takes an integer");
        ServerObject hv3 = object(HV3);
        runtime.inventory().commit(Commit.of(ObjectChange.set(hv3.objectId(), "state", "online", "retired")));
        assertThat(catchThrowable(() -> evacuate()
                        .run(EvacuateRequest.builder(HV3)
                                .offline()
                                .offlineTransport("testcopy")
                                .build())))
                .isInstanceOf(RefusedException.class)
                .hasMessage(HV3 + " is retired; there is nothing to evacuate");
        runtime.inventory().commit(Commit.of(ObjectChange.set(hv3.objectId(), "state", "retired", "online")));
        assertThat(catchThrowable(() ->
                        evacuate().run(EvacuateRequest.builder(HV1).offline().build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--offline-transport");
        assertThat(inventory()).isEqualTo(before);
        assertThat(whereTheDomainsAre().values()).containsOnly(HV1 + " running");
    }

    /**
     * Every VM wholly on one hypervisor, the inventory's, running there and nowhere else; no lock
     * left; hv1 reserved exactly when something moved.
     */
    void assertNothingHalfMoved(String at) {
        Map<String, String> where = whereTheDomainsAre();
        int moved = 0;
        for (String vm : VMS) {
            ServerObject o = object(vm);
            String hv = o.string("hypervisor");
            assertThat(where).as(at + ": " + vm).containsEntry(vm, hv + " running");
            assertThat(o.state()).as(at + ": " + vm).isEqualTo("online");
            assertThat(o.string("igvm_locked")).as(at + ": " + vm + " lock").isNullOrEmpty();
            for (String other : List.of(HV1, HV2, HV3)) {
                if (!other.equals(hv)) {
                    assertThat(hypervisors().findVolume(other, "xen-data", EvacuationFleet.id(vm)))
                            .as(at + ": " + vm + "'s volume on " + other)
                            .isEmpty();
                }
            }
            if (!HV1.equals(hv)) {
                moved++;
            }
        }
        for (String hv : List.of(HV1, HV2, HV3)) {
            assertThat(object(hv).string("igvm_locked"))
                    .as(at + ": " + hv + " lock")
                    .isNullOrEmpty();
        }
        assertThat(object(HV1).state()).as(at + ": hv1's state").isEqualTo(moved > 0 ? "online_reserved" : "online");
    }

    /**
     * A move that stands but could not clean up its source (a fault after the migration's commit)
     * names what is left in its warnings; removed here as the operator would.
     */
    void removeWhatWarningsName(EvacuationResult result, String at) {
        HypervisorPort hvs = hypervisors();
        for (VmEvacuation v : result.vms()) {
            ServerObject o = object(v.vm());
            if (!v.moved() || HV1.equals(o.string("hypervisor"))) {
                continue;
            }
            boolean leftDomain = hvs.findDomain(HV1, o.objectId()).isPresent();
            boolean leftVolume = hvs.findVolume(HV1, "xen-data", o.objectId()).isPresent();
            if (leftDomain || leftVolume) {
                assertThat(v.warnings())
                        .as(at + ": what " + v.vm() + " left on hv1 is named")
                        .isNotEmpty();
            }
            hvs.findDomain(HV1, o.objectId()).ifPresent(d -> {
                if (d.isRunning()) {
                    hvs.destroy(HV1, d.name());
                }
                hvs.undefine(HV1, d.name());
            });
            hvs.findVolume(HV1, "xen-data", o.objectId())
                    .ifPresent(vol -> hvs.deleteVolume(HV1, "xen-data", vol.name()));
        }
        for (String hv : List.of(HV1, HV2, HV3)) {
            String lock = object(hv).string("igvm_locked");
            if (lock != null && !lock.isEmpty()) {
                // A release that failed: its heartbeat stopped, it goes stale; broken as the operator would.
                runtime.locks().breakLock(object(hv), true);
            }
        }
    }

    /** Puts every VM back on hv1 by hand (the test driver's state lives in this runtime's connections). */
    void backToHv1() {
        HypervisorPort hvs = hypervisors();
        for (String vm : VMS) {
            ServerObject o = object(vm);
            String hv = o.string("hypervisor");
            if (HV1.equals(hv)) {
                continue;
            }
            DomainInfo moved = hvs.findDomain(hv, o.objectId()).orElseThrow();
            var volume = hvs.findVolume(hv, "xen-data", o.objectId()).orElseThrow();
            hvs.createVolume(HV1, "xen-data", volume.name(), volume.capacityBytes());
            hvs.defineXml(HV1, hvs.definitionXml(hv, moved.name()));
            hvs.start(HV1, moved.name());
            hvs.destroy(hv, moved.name());
            hvs.undefine(hv, moved.name());
            hvs.deleteVolume(hv, "xen-data", volume.name());
            runtime.inventory().commit(Commit.of(ObjectChange.set(o.objectId(), "hypervisor", hv, HV1)));
        }
        ServerObject hv1 = object(HV1);
        if (!"online".equals(hv1.state())) {
            runtime.inventory().commit(Commit.of(ObjectChange.set(hv1.objectId(), "state", hv1.state(), "online")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Fault.class)
    void aFaultOrCancellationAtAnyStepLeavesNothingHalfMoved(Fault fault) throws Exception {
        start(true);
        int outcomes = 0;
        for (int n = 1; ; n++) {
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            FaultAtStep h = FaultAtStep.over(env(), n, fault);
            harness.set(h);
            MigrateVm migrate = new MigrateVm(
                    h.environment(),
                    runtime.injector().getInstance(PlacementSettings.class),
                    TestMigrateVm.registry(FaultAtStep.transport(copy, harness)));
            AtomicReference<EvacuationResult> result = new AtomicReference<>();

            Throwable thrown = catchThrowable(() -> result.set(new EvacuateHypervisor(h.environment(), migrate)
                    .run(offline().build())));

            String at = "step " + n + " (" + h.firedAt() + ", " + fault + ")";
            if (!h.fired()) {
                assertThat(thrown).as("the evacuation without a fault").isNull();
                assertThat(result.get().notMoved()).isEmpty();
                assertNothingHalfMoved("no fault");
                System.out.printf("evacuate, %s: %d steps tried%n", fault, n - 1);
                break;
            }
            assertThat(thrown == null || thrown instanceof IgvmException)
                    .as(at + ": " + thrown)
                    .isTrue();
            if (thrown == null && fault != Fault.FAIL) {
                assertThat(result.get().cancelled())
                        .as(at + ": " + result.get())
                        .isTrue();
            }
            if (result.get() != null) {
                removeWhatWarningsName(result.get(), at);
            }
            assertNothingHalfMoved(at);
            outcomes++;
            backToHv1();
        }
        // The three migrations' steps and the evacuation's own were all tried.
        assertThat(outcomes).isGreaterThan(30);
    }
}
