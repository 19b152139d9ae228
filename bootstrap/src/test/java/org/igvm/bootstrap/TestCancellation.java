package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.Igvm;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.IgvmService;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShellPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancellation of running operations on libvirt's test driver and a SQLite inventory: cancelled at
 * any step, an operation rolls back on its own thread and leaves nothing changed.
 */
class TestCancellation {
    static final String HV1 = "hv01.example.net";
    static final long WEB01 = 4242;

    @TempDir
    Path dir;

    TestFleet fleet;

    @BeforeEach
    void createFleet() throws Exception {
        fleet = TestFleet.create(dir, Map.of());
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    /** What "nothing changed" compares: libvirt's view of the hypervisor and the inventory's objects. */
    record Snapshot(List<String> domainNames, String xml, DomainState state, ServerObject vm, ServerObject hv) {}

    Snapshot snapshot(String vmHostname) {
        DomainInfo domain = fleet.domain(HV1, WEB01);
        return new Snapshot(
                fleet.hypervisors().domains(HV1).stream()
                        .map(DomainInfo::name)
                        .sorted()
                        .toList(),
                fleet.hypervisors().definitionXml(HV1, domain.name()),
                domain.state(),
                fleet.object(vmHostname),
                fleet.object(HV1));
    }

    /** An Igvm over the fleet whose ports are counted by the harness, with its own operations. */
    Igvm cancellingIgvm(int step, Fault fault, AtomicReference<FaultAtStep> harness) {
        FaultAtStep h = FaultAtStep.over(
                environment(fleet.inventory(), fleet.hypervisors(), fleet.runtime.locks(), fleet.runtime.operations()),
                step,
                fault);
        harness.set(h);
        return new IgvmService(h.environment());
    }

    CommandEnvironment environment(
            InventoryPort inventory, HypervisorPort hypervisors, ObjectLocks locks, RunningOperations operations) {
        return new CommandEnvironment(
                inventory,
                hypervisors,
                fleet.runtime.injector().getInstance(SiteSettings.class),
                locks,
                operations,
                fleet.runtime.injector().getInstance(HostShellPort.class),
                Clock.systemUTC());
    }

    /**
     * Cancels restart at every step and checks nothing changed each time; the run that finishes
     * before step N ends the loop (and changes the VM, as a restart does).
     */
    int cancelRestartAtEveryStep(String vm, String vmHostname, Fault fault) {
        Snapshot before = snapshot(vmHostname);
        int steps = 0;
        {
            for (int n = 1; ; n++) {
                AtomicReference<FaultAtStep> harness = new AtomicReference<>();
                Igvm igvm = cancellingIgvm(n, fault, harness);
                Throwable thrown = catchThrowable(() ->
                        igvm.restart(org.igvm.api.RestartRequest.builder(vm).build()));
                if (!harness.get().fired()) {
                    // The restart finished before step n: every step has been tried.
                    assertThat(thrown).as("the uncancelled restart").isNull();
                    steps = Math.max(steps, n - 1);
                    break;
                }
                String at = "cancelled at step " + n + " (" + harness.get().firedAt() + ", " + fault + ")";
                assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
                assertThat(thrown.getMessage()).as(at).startsWith("cancelled restart " + vmHostname);
                assertThat(snapshot(vmHostname)).as(at).isEqualTo(before);
                assertThat(Thread.currentThread().isInterrupted())
                        .as("the cancellation's own interrupt is consumed")
                        .isFalse();
                // Every undo ran on the operation's thread, none on the canceller's.
                assertThat(harness.get().lateCalls()).as(at).allSatisfy(call -> assertThat(call.thread())
                        .isSameAs(Thread.currentThread()));
            }
        }
        return steps;
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void restartOfARunningVmCancelledAtAnyStepLeavesNothingChanged(Fault fault) {
        int steps = cancelRestartAtEveryStep("web01", "web01.example.net", fault);
        // lock, find domain and volume, facts, shut down, poll, read XML, define, start, verify ...
        assertThat(steps).isGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void restartOfARenamedVmCancelledAtAnyStepLeavesItsOldDomainInPlace(Fault fault) {
        fleet.set("web01.example.net", "hostname", "web01-new.example.net");
        assertThat(fleet.domain(HV1, WEB01).name()).isEqualTo("4242_web01.example.net");

        int steps = cancelRestartAtEveryStep("web01-new", "web01-new.example.net", fault);

        assertThat(steps).isGreaterThanOrEqualTo(9);
        assertThat(fleet.domain(HV1, WEB01).name()).isEqualTo("4242_web01-new.example.net");
    }

    @Test
    void theRollbackOfACancelledRestartRunsOnTheOperationsThread() {
        AtomicReference<FaultAtStep> harness = new AtomicReference<>();
        // Step 9 or so is the start with the new definition: by then there is a lot to undo.
        Igvm igvm = cancellingIgvm(9, Fault.CANCEL_THEN_PROCEED, harness);

        Throwable thrown = catchThrowable(
                () -> igvm.restart(org.igvm.api.RestartRequest.builder("web01").build()));

        assertThat(harness.get().fired()).isTrue();
        assertThat(thrown)
                .isInstanceOf(CancelledException.class)
                .hasMessageContaining("undone: ")
                .hasMessageContaining("start web01.example.net again");
        assertThat(harness.get().lateCalls())
                .extracting(FaultAtStep.LateCall::method)
                .contains("HypervisorPort.start");
        assertThat(harness.get().lateCalls()).allSatisfy(call -> assertThat(call.thread())
                .isSameAs(Thread.currentThread())
                .isNotSameAs(harness.get().canceller()));
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
    }

    /** Hypervisors whose guests ignore the ACPI shutdown: a stop waits for the shutdown timeout. */
    HypervisorPort guestsIgnoringShutdown(CountDownLatch shutdownAsked) {
        HypervisorPort real = fleet.hypervisors();
        return (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, args) -> {
                    if (m.getName().equals("shutdown")) {
                        shutdownAsked.countDown();
                        return null;
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void interruptingTheThreadThatRunsAnIgvmCallCancelsIt() throws Exception {
        CountDownLatch shutdownAsked = new CountDownLatch(1);
        Igvm igvm = new IgvmService(environment(
                fleet.inventory(),
                guestsIgnoringShutdown(shutdownAsked),
                fleet.runtime.locks(),
                fleet.runtime.operations()));
        Snapshot before = snapshot("web01.example.net");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                igvm.stop(org.igvm.api.StopRequest.builder("web01").build());
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        assertThat(shutdownAsked.await(60, TimeUnit.SECONDS)).isTrue();

        worker.interrupt(); // what an embedding application does, e.g. Future.cancel(true)
        worker.join(60_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get())
                .isInstanceOf(CancelledException.class)
                .hasMessageStartingWith("cancelled stop web01.example.net; undone: start web01.example.net again");
        assertThat(stillInterrupted.get())
                .as("an interrupt from outside stays for its sender")
                .isTrue();
        assertThat(snapshot("web01.example.net")).isEqualTo(before);
        assertThat(fleet.runtime.running()).isEmpty();
    }

    @Test
    void cancelAllFromAnotherThreadWaitsUntilTheOperationHasRolledBack() throws Exception {
        CountDownLatch shutdownAsked = new CountDownLatch(1);
        Igvm igvm = new IgvmService(environment(
                fleet.inventory(),
                guestsIgnoringShutdown(shutdownAsked),
                fleet.runtime.locks(),
                fleet.runtime.operations()));
        Snapshot before = snapshot("web01.example.net");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> thrown.set(catchThrowable(
                () -> igvm.restart(org.igvm.api.RestartRequest.builder("web01").build()))));
        worker.start();
        assertThat(shutdownAsked.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(fleet.runtime.running()).extracting(op -> op.name()).containsExactly("restart web01.example.net");
        assertThat(fleet.runtime.running().get(0).stillRunning())
                .contains("if you kill igvm now, check web01.example.net with `igvm info web01.example.net`"
                        + " and break its lock with `igvm unlock web01.example.net`");

        assertThat(fleet.runtime.cancelAll(null, Duration.ofSeconds(60))).isTrue();

        assertThat(fleet.runtime.running()).isEmpty();
        assertThat(snapshot("web01.example.net")).isEqualTo(before);
        worker.join(60_000);
        assertThat(thrown.get()).isInstanceOf(CancelledException.class);
    }

    @Test
    void anOperationWhoseLockIsBrokenIsCancelledWithThatReason() throws Exception {
        CountDownLatch shutdownAsked = new CountDownLatch(1);
        ObjectLocks locks = new ObjectLocks(
                fleet.inventory(),
                Clock.systemUTC(),
                LockOwner.current(),
                Duration.ofSeconds(30),
                Duration.ofMillis(200));
        Igvm igvm = new IgvmService(environment(
                fleet.inventory(), guestsIgnoringShutdown(shutdownAsked), locks, new RunningOperations(locks)));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> thrown.set(catchThrowable(
                () -> igvm.restart(org.igvm.api.RestartRequest.builder("web01").build()))));
        worker.start();
        assertThat(shutdownAsked.await(60, TimeUnit.SECONDS)).isTrue();

        ObjectLocks operator = new ObjectLocks(
                fleet.inventory(), Clock.systemUTC(), new LockOwner("bob", "ops2", 7), Duration.ofSeconds(30));
        operator.breakLock(fleet.object("web01.example.net"), true);
        worker.join(60_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get())
                .isInstanceOf(CancelledException.class)
                .hasMessageContaining("cancelled restart web01.example.net (the lock on web01.example.net was broken"
                        + " by someone else)");
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.object("web01.example.net").isEmpty("igvm_locked")).isTrue();
        locks.close();
    }
}
