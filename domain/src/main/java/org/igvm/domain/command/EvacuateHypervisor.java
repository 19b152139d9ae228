package org.igvm.domain.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.igvm.api.CancelledException;
import org.igvm.api.EvacuateRequest;
import org.igvm.api.EvacuationPlan;
import org.igvm.api.EvacuationResult;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationPlan;
import org.igvm.api.MigrationProgress;
import org.igvm.api.MigrationResult;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.api.UnplacedVm;
import org.igvm.api.VmEvacuation;
import org.igvm.api.VmEvacuation.Outcome;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.placement.PlannedMove;
import org.igvm.domain.placement.PlannedMoves;
import org.igvm.domain.placement.TargetQuery;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.vm.UidName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm evacuate HV}: plan every VM's move up front, each placed with the VMs planned before
 * it counted on their targets (largest first, so the big ones find room), then set the hypervisor
 * {@code online_reserved} and run the migrations, up to {@code parallel} at once and {@code
 * maxPerTarget} to one target at once. The evacuation holds the locks of the hypervisor and of
 * every planned target until it ends, so the plan stays true while it runs. Each migration is a
 * transaction of its own: one that fails rolls back and the others go on; the VMs planned onto its
 * target are planned again elsewhere. Ctrl-C starts nothing more, and what runs rolls back.
 */
public final class EvacuateHypervisor {
    private static final Logger log = LoggerFactory.getLogger(EvacuateHypervisor.class);
    static final String RESERVED = "online_reserved";

    private final CommandEnvironment env;
    private final MigrateVm migrate;

    public EvacuateHypervisor(CommandEnvironment env, MigrateVm migrate) {
        this.env = env;
        this.migrate = migrate;
    }

    /** The plan; locks and changes nothing. */
    public EvacuationPlan plan(EvacuateRequest request) {
        ServerObject hv = hypervisor(request.hypervisor());
        TargetQuery.parse(request.hypervisorQuery()); // malformed: one line, before anything is asked
        return plan(hv, vmsOn(hv), request, PlannedMoves.none()).plan();
    }

    /** Evacuates, or with {@link EvacuateRequest#dryRun()} returns the plan only. */
    public EvacuationResult run(EvacuateRequest request) {
        ServerObject hv = hypervisor(request.hypervisor());
        TargetQuery.parse(request.hypervisorQuery());
        Planned planned = plan(hv, vmsOn(hv), request, PlannedMoves.none());
        EvacuationPlan plan = planned.plan();
        if (request.dryRun()) {
            return new EvacuationResult(plan, List.of(), hv.state(), false, true);
        }
        if (!plan.unplaced().isEmpty() && !request.partial()) {
            throw new RefusedException("no hypervisor can take "
                    + String.join(
                            "; ",
                            plan.unplaced().stream()
                                    .map(u -> u.vm() + " (" + u.reason() + ")")
                                    .toList())
                    + "; nothing was changed; add --partial to move the others, or widen the target query");
        }
        Function<RunningOperation, EvacuationResult> body = op -> evacuate(op, hv, planned, request);
        return env.operations().run("evacuate " + hv.hostname(), body);
    }

    /** Each VM's plan, in the order they will start, and what cannot be placed. */
    private record Planned(EvacuationPlan plan, Map<String, ServerObject> vms, Map<String, MigrateRequest> requests) {}

    private Planned plan(ServerObject hv, List<ServerObject> vms, EvacuateRequest request, PlannedMoves before) {
        Map<String, DomainInfo> domains = new HashMap<>();
        List<String> notInInventory = new ArrayList<>();
        for (DomainInfo d : env.hypervisors().domains(hv.hostname())) {
            ServerObject owner = vms.stream()
                    .filter(vm -> UidName.belongsTo(d.name(), vm.objectId()))
                    .findFirst()
                    .orElse(null);
            if (owner == null) {
                notInInventory.add(d.name());
            } else {
                domains.put(owner.hostname(), d);
            }
        }
        List<MigrationPlan> moves = new ArrayList<>();
        List<UnplacedVm> unplaced = new ArrayList<>();
        Map<String, ServerObject> byName = new LinkedHashMap<>();
        Map<String, MigrateRequest> requests = new LinkedHashMap<>();
        PlannedMoves planned = before;
        for (ServerObject vm : vms) {
            DomainInfo domain = domains.get(vm.hostname());
            boolean running = domain != null && domain.isRunning();
            MigrateRequest migration = migrateRequest(vm, request, running, request.hypervisorQuery());
            if (migration.offline() && migration.diskTransport() == null && !migrate.hasDefaultOfflineTransport()) {
                throw new InvalidInputException(vm.hostname() + " moves offline ("
                        + (running ? "--offline" : "it is not running") + "), and neither "
                        + MigrateVm.DEFAULT_OFFLINE + " nor " + MigrateVm.FALLBACK_OFFLINE
                        + " is installed: add --offline-transport NAME (see igvm transports)");
            }
            try {
                MigrationPlan move = migrate.plan(migration, planned);
                moves.add(move);
                byName.put(vm.hostname(), vm);
                requests.put(vm.hostname(), migration);
                planned = planned.with(new PlannedMove(vm, hv, move.target()));
            } catch (RefusedException | NotFoundException noRoom) {
                unplaced.add(new UnplacedVm(vm.hostname(), noRoom.getMessage()));
            }
        }
        return new Planned(
                new EvacuationPlan(hv.hostname(), hv.state(), moves, unplaced, notInInventory), byName, requests);
    }

    private static MigrateRequest migrateRequest(
            ServerObject vm, EvacuateRequest request, boolean running, String target) {
        boolean offline = !running || request.offline(vm.string("function"));
        return MigrateRequest.builder(vm.hostname())
                .hypervisorQuery(target)
                .offline(offline)
                .diskTransport(offline ? request.offlineTransport() : request.onlineTransport())
                .ignoreReserved(request.ignoreReserved())
                .enforceVmEnvironment(request.enforceVmEnvironment())
                .softPreferences(request.softPreferences())
                .bandwidthLimit(request.bandwidthLimit())
                .build();
    }

    /** What a started migration is: the VM, its planned target, its mode and transport. */
    private record Started(String vm, String target, String mode, String transport) {}

    private EvacuationResult evacuate(
            RunningOperation op, ServerObject named, Planned planned, EvacuateRequest request) {
        // The hypervisor and every planned target, locked for the whole batch.
        op.lock(named);
        Set<String> lockedTargets = new LinkedHashSet<>();
        for (MigrationPlan move : planned.plan().moves()) {
            if (lockedTargets.add(move.target())) {
                op.lock(env.lookup().hypervisor(move.target()));
            }
        }
        ServerObject hv = env.inventory().get(named.objectId()).orElse(named);
        String stateBefore = hv.state();
        AtomicInteger movedCount = new AtomicInteger();
        if (!RESERVED.equals(stateBefore)) {
            env.inventory().commit(Commit.of(ObjectChange.set(hv.objectId(), "state", stateBefore, RESERVED)));
            // Once a VM has moved the hypervisor stays reserved: it is half empty and must not fill again.
            op.transaction().onRollback("set the state of " + hv.hostname() + " back to " + stateBefore, () -> {
                if (movedCount.get() == 0) {
                    restoreState(hv, stateBefore);
                }
            });
        }
        log.info(
                "evacuating {}: {} VM(s) planned, state {}",
                hv.hostname(),
                planned.plan().moves().size(),
                RESERVED);

        Map<String, VmEvacuation> outcomes = new LinkedHashMap<>();
        List<MigrationPlan> pending = new ArrayList<>(planned.plan().moves());
        Map<String, String> targets = new LinkedHashMap<>();
        pending.forEach(m -> targets.put(m.vm(), m.target()));
        PlannedMoves notYetMoved = PlannedMoves.none();
        for (MigrationPlan m : pending) {
            notYetMoved = notYetMoved.with(new PlannedMove(planned.vms().get(m.vm()), hv, m.target()));
        }
        Map<String, Integer> incoming = new HashMap<>();
        Map<Future<VmEvacuation>, Started> running = new HashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(request.parallel(), runnable -> {
            Thread t = new Thread(runnable, "evacuate-" + hv.hostname());
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<VmEvacuation> done = new ExecutorCompletionService<>(workers);
        boolean cancelled = false;
        try {
            while (!pending.isEmpty() || !running.isEmpty()) {
                // The cancelled flag, not only the interrupt: something on this thread may have
                // swallowed the interrupt (an output stream), and take() would then wait on.
                op.checkpoint();
                // Start what the limits allow, in the plan's order; a busy target does not hold up the others.
                for (var it = pending.iterator(); it.hasNext() && running.size() < request.parallel(); ) {
                    MigrationPlan move = it.next();
                    String target = targets.get(move.vm());
                    if (incoming.getOrDefault(target, 0) >= request.maxPerTarget()) {
                        continue;
                    }
                    op.checkpoint();
                    it.remove();
                    incoming.merge(target, 1, Integer::sum);
                    Started started = new Started(move.vm(), target, move.mode(), move.transport());
                    MigrateRequest migration = planned.requests().get(move.vm());
                    MigrationProgress progress =
                            request.progress().started(move.vm(), target, move.mode(), move.transport());
                    MigrateRequest pinned = MigrateRequest.builder(migration.vm())
                            .hypervisorQuery(target)
                            .offline(migration.offline())
                            .diskTransport(migration.diskTransport())
                            .ignoreReserved(migration.ignoreReserved())
                            .enforceVmEnvironment(migration.enforceVmEnvironment())
                            .softPreferences(migration.softPreferences())
                            .bandwidthLimit(migration.bandwidthLimit())
                            .progress(progress)
                            .build();
                    log.info("evacuate: starting {} -> {} ({}, {})", move.vm(), target, move.mode(), move.transport());
                    running.put(done.submit(() -> migrateOne(pinned, started)), started);
                }
                Future<VmEvacuation> finished = done.take();
                Started which = running.remove(finished);
                incoming.merge(which.target(), -1, Integer::sum);
                VmEvacuation outcome = outcome(finished, which);
                outcomes.put(which.vm(), outcome);
                notYetMoved = without(notYetMoved, which.vm());
                request.progress().finished(outcome);
                log.info("evacuate: {} {} ({})", which.vm(), outcome.outcome(), which.target());
                if (outcome.moved()) {
                    movedCount.incrementAndGet();
                } else if (outcome.outcome() == Outcome.FAILED) {
                    notYetMoved = replan(
                            op, hv, planned, request, pending, targets, notYetMoved, which.target(), lockedTargets);
                }
            }
        } catch (CancelledException | InterruptedException stop) {
            cancelled = true;
        } finally {
            workers.shutdownNow(); // a cancellation interrupts the running migrations: each rolls back
            awaitWorkers(workers);
        }
        // A cancellation whose interrupt was swallowed still counts.
        cancelled = cancelled || op.cancelled();
        if (cancelled) {
            // What ran has rolled back or moved; collect each one's end.
            for (Map.Entry<Future<VmEvacuation>, Started> e : running.entrySet()) {
                Started which = e.getValue();
                // A task still queued when the workers were stopped never ran.
                VmEvacuation outcome = e.getKey().isDone()
                        ? outcome(e.getKey(), which)
                        : new VmEvacuation(
                                which.vm(),
                                which.target(),
                                which.mode(),
                                which.transport(),
                                Outcome.NOT_STARTED,
                                Duration.ZERO,
                                null,
                                "the evacuation was cancelled before it started");
                outcomes.put(e.getValue().vm(), outcome);
                if (outcome.moved()) {
                    movedCount.incrementAndGet();
                }
                request.progress().finished(outcome);
            }
            for (MigrationPlan move : pending) {
                outcomes.put(
                        move.vm(),
                        new VmEvacuation(
                                move.vm(),
                                targets.get(move.vm()),
                                move.mode(),
                                move.transport(),
                                Outcome.NOT_STARTED,
                                Duration.ZERO,
                                null,
                                "the evacuation was cancelled before it started"));
            }
        }
        List<VmEvacuation> inOrder = new ArrayList<>();
        for (MigrationPlan move : planned.plan().moves()) {
            inOrder.add(outcomes.get(move.vm()));
        }
        // Nothing moved of what was planned: the state goes back as the operation rolls back. With
        // nothing to move, reserving the hypervisor was the whole job.
        boolean keepState = movedCount.get() > 0 || planned.plan().moves().isEmpty();
        if (keepState) {
            op.transaction().commit();
        }
        String stateAfter = keepState || RESERVED.equals(stateBefore) ? RESERVED : stateBefore;
        return new EvacuationResult(planned.plan(), inOrder, stateAfter, cancelled, false);
    }

    /** One migration on a worker thread: its own operation and transaction; never throws. */
    private VmEvacuation migrateOne(MigrateRequest request, Started started) {
        long t0 = System.nanoTime();
        try {
            MigrationResult result = migrate.runOntoLockedTarget(request);
            return new VmEvacuation(
                    result.vm(),
                    result.target(),
                    result.mode(),
                    result.transport(),
                    Outcome.MOVED,
                    result.duration(),
                    result.downtime(),
                    null,
                    result.warnings());
        } catch (CancelledException e) {
            return failed(started, Outcome.CANCELLED, e, t0);
        } catch (IgvmException e) {
            return failed(started, Outcome.FAILED, e, t0);
        } catch (RuntimeException e) {
            log.debug("evacuate: {} failed", started.vm(), e);
            return failed(started, Outcome.FAILED, e, t0);
        }
    }

    private static VmEvacuation failed(Started started, Outcome outcome, Exception e, long t0) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new VmEvacuation(
                started.vm(),
                started.target(),
                started.mode(),
                started.transport(),
                outcome,
                Duration.ofNanos(System.nanoTime() - t0),
                null,
                message);
    }

    private static VmEvacuation outcome(Future<VmEvacuation> future, Started started) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(started, Outcome.CANCELLED, e, System.nanoTime());
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return failed(started, Outcome.FAILED, e, System.nanoTime());
        }
    }

    /**
     * A migration onto {@code failedTarget} failed: the VMs still planned there go elsewhere, each
     * placed again with the others that have not moved yet counted, and that target avoided.
     */
    private PlannedMoves replan(
            RunningOperation op,
            ServerObject hv,
            Planned planned,
            EvacuateRequest request,
            List<MigrationPlan> pending,
            Map<String, String> targets,
            PlannedMoves notYetMoved,
            String failedTarget,
            Set<String> lockedTargets) {
        PlannedMoves moves = notYetMoved.avoiding(failedTarget);
        for (int i = 0; i < pending.size(); i++) {
            MigrationPlan move = pending.get(i);
            if (!targets.get(move.vm()).equals(failedTarget)) {
                continue;
            }
            moves = without(moves, move.vm());
            ServerObject vm = planned.vms().get(move.vm());
            try {
                MigrationPlan again = migrate.plan(planned.requests().get(move.vm()), moves);
                if (lockedTargets.add(again.target())) {
                    op.lock(env.lookup().hypervisor(again.target()));
                }
                pending.set(i, again);
                targets.put(move.vm(), again.target());
                moves = moves.with(new PlannedMove(vm, hv, again.target()));
                request.progress().replanned(move.vm(), failedTarget, again.target());
                log.info(
                        "evacuate: {} planned again onto {} after a failure on {}",
                        move.vm(),
                        again.target(),
                        failedTarget);
            } catch (IgvmException | IllegalArgumentException e) {
                // Left planned onto the failed target, whose check at the start will say why if it fails again.
                moves = moves.with(new PlannedMove(vm, hv, failedTarget));
                log.warn(
                        "evacuate: {} cannot be planned elsewhere after the failure on {}: {}",
                        move.vm(),
                        failedTarget,
                        e.getMessage());
            }
        }
        return moves;
    }

    private static PlannedMoves without(PlannedMoves moves, String vm) {
        return new PlannedMoves(
                moves.moves().stream()
                        .filter(m -> !m.vm().hostname().equals(vm))
                        .toList(),
                moves.avoided());
    }

    /** Waits for the running migrations to end (each rolls back on its own thread), however long that takes. */
    private static void awaitWorkers(ExecutorService workers) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    if (workers.awaitTermination(1, TimeUnit.MINUTES)) {
                        return;
                    }
                    log.warn("evacuate: still waiting for running migrations to end");
                } catch (InterruptedException again) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void restoreState(ServerObject hv, String state) {
        env.inventory().get(hv.objectId()).ifPresent(now -> {
            if (!state.equals(now.state())) {
                env.inventory().commit(Commit.of(ObjectChange.set(hv.objectId(), "state", now.state(), state)));
            }
        });
    }

    /** The hypervisor to empty: not a VM, not retired. */
    private ServerObject hypervisor(String name) {
        ServerObject hv;
        try {
            hv = env.lookup().hypervisor(name);
        } catch (NotFoundException notAHypervisor) {
            ServerObject other;
            try {
                other = env.lookup().object(name);
            } catch (NotFoundException none) {
                throw notAHypervisor;
            }
            throw new InvalidInputException(other.hostname() + " is a " + other.string("servertype")
                    + ", not a hypervisor; evacuate empties a hypervisor (to move one VM: "
                    + SuggestedCommand.igvm("migrate", other.hostname()) + ")");
        }
        if ("retired".equals(hv.state())) {
            throw new RefusedException(hv.hostname() + " is retired; there is nothing to evacuate");
        }
        return hv;
    }

    /** The hypervisor's VMs as the inventory has them, largest first (memory, then disk), then by name. */
    private List<ServerObject> vmsOn(ServerObject hv) {
        List<ServerObject> vms = new ArrayList<>(
                env.inventory().query(Query.where("servertype", "vm").and("hypervisor", hv.hostname())));
        vms.removeIf(vm -> "retired".equals(vm.state()));
        vms.sort(Comparator.comparingLong((ServerObject vm) -> -vm.integer("memory", 0))
                .thenComparingLong(vm -> -vm.integer("disk_size_gib", 0))
                .thenComparing(ServerObject::hostname));
        return vms;
    }
}
