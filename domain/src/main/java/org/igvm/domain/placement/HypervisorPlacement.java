package org.igvm.domain.placement;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.igvm.api.ConflictException;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.HeldLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the hypervisor for a VM (spec §4): candidate filter merged with the target query, ranking
 * by the preferences, hard checks on live data for the best-ranked candidates in parallel batches,
 * then lock and re-check one by one in ranking order; the first that passes wins and the losers'
 * locks are released. {@link #plan} does the same without locking and changes nothing.
 */
public final class HypervisorPlacement {
    private static final Logger log = LoggerFactory.getLogger(HypervisorPlacement.class);
    private static final int REASONS_SHOWN = 5;

    private final CommandEnvironment env;
    private final PlacementSettings settings;
    private final PlacementEngine engine;
    private final HardChecks checks;

    public HypervisorPlacement(CommandEnvironment env, PlacementSettings settings) {
        this.env = env;
        this.settings = settings;
        this.engine = new PlacementEngine(settings.preferences());
        this.checks = new HardChecks(env.hypervisors(), env.settings(), settings);
    }

    /**
     * The ranking and the hypervisor the hard checks would pick; locks and changes nothing. The
     * checks stop after {@link PlacementSettings#maxFailedHardChecks} failed candidates; none
     * passing is a refusal.
     */
    public PlacementPlan plan(PlacementRequest request) {
        return decide(request, false, true).plan();
    }

    /**
     * Like {@link #plan}, but when no candidate passes its hard checks the plan comes back with no
     * chosen hypervisor instead of a refusal, so the ranking and each failed check can be shown.
     */
    public PlacementPlan review(PlacementRequest request) {
        return decide(request, false, false).plan();
    }

    /** The chosen hypervisor, locked; the caller closes the lock when done. */
    public ChosenHypervisor choose(PlacementRequest request) {
        return decide(request, true, true);
    }

    /**
     * The chosen hypervisor for a caller that holds the candidates' locks itself (an evacuation
     * holds its targets' for the whole batch): the hard checks as {@link #choose}, no lock taken.
     */
    public ChosenHypervisor chooseLockedByCaller(PlacementRequest request) {
        return decide(request, false, true);
    }

    private ChosenHypervisor decide(PlacementRequest request, boolean lock, boolean refuseWhenNone) {
        ServerObject vm =
                request.placedVm() != null ? request.placedVm() : env.lookup().vm(request.vm());
        if ("retired".equals(vm.state())) {
            throw new RefusedException(vm.hostname() + " is retired; placement refuses retired VMs");
        }
        ServerObject current = currentHypervisor(vm);
        TargetQuery target = TargetQuery.parse(request.targetQuery());
        Set<String> states = new LinkedHashSet<>(List.of("online"));
        if (request.ignoreReserved()) {
            states.add("online_reserved");
        }
        InventoryPlacementData data = new InventoryPlacementData(
                env.inventory(),
                GroupingAttributes.of(settings.preferences()),
                env.clock().instant(),
                settings.migrationLogExpiry());
        PlacementVm subjectVm = data.vm(vm);
        // The store's sums and counts need only the subject: read them while the candidates are queried.
        ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "placement-totals");
            thread.setDaemon(true);
            return thread;
        });
        Future<VmTotalsPerHypervisor> totals;
        try {
            totals = reader.submit(() -> data.vmTotals(subjectVm, settings.preferences()));
        } finally {
            reader.shutdown();
        }
        List<ServerObject> hypervisors;
        String filterText;
        try {
            if (target.isPinned()) {
                ServerObject pinned = env.lookup().hypervisor(target.pinned());
                if (request.planned().avoided().contains(pinned.hostname())) {
                    throw new RefusedException(vm.hostname() + " cannot go to " + pinned.hostname()
                            + ": a migration there failed in this batch");
                }
                if (!states.contains(pinned.state())) {
                    throw new RefusedException(pinned.hostname() + " is " + pinned.state() + "; " + vm.hostname()
                            + " can only go to a hypervisor in state " + String.join(" or ", states)
                            + (pinned.state().equals("online_reserved") ? " (add --ignore-reserved)" : ""));
                }
                hypervisors = List.of(pinned);
                filterText = "hostname=" + pinned.hostname();
            } else {
                Query filter = target.mergedInto(candidateFilter(vm, states, request.enforceVmEnvironment()));
                filterText = QueryText.of(filter);
                hypervisors = env.inventory().query(filter).stream()
                        .filter(hv -> current == null || hv.objectId() != current.objectId())
                        .filter(hv -> !request.planned().avoided().contains(hv.hostname()))
                        .toList();
                if (hypervisors.isEmpty()) {
                    throw new NotFoundException(
                            "no hypervisor matches the placement filter '" + filterText + "' for " + vm.hostname()
                                    + (current == null ? "" : " (other than its current " + current.hostname() + ")"));
                }
            }
            if (current != null && target.isPinned() && hypervisors.get(0).objectId() == current.objectId()) {
                throw new RefusedException(
                        vm.hostname() + " is already on " + current.hostname() + "; name another hypervisor");
            }
        } catch (RuntimeException e) {
            // no read may outlive the placement: the caller may close the inventory at once
            abandon(totals, reader);
            throw e;
        }

        List<ServerObject> withCurrent = new ArrayList<>(hypervisors);
        if (current != null) {
            withCurrent.add(current);
        }
        // The store sums and counts the VMs per hypervisor; no VM is loaded.
        // A batch's VMs planned before this one count on their targets, not on their sources.
        VmTotalsPerHypervisor counted =
                request.planned().applyTo(joined(totals), subjectVm, settings.preferences(), data);
        List<PlacementCandidate> built = data.candidatesFromTotals(withCurrent, counted, request.planned());
        List<PlacementCandidate> candidates = built.subList(0, hypervisors.size());
        PlacementSubject subject =
                new PlacementSubject(subjectVm, current == null ? null : built.get(built.size() - 1), data.grouping());
        // A pinned hypervisor is only hard-checked: its scores are shown, none excludes it.
        PlacementRanking ranking = engine.rank(subject, candidates, request.softPreferences() || target.isPinned());

        boolean online = current != null && !request.offline() && running(vm, current);
        HardCheckSubject checkSubject = new HardCheckSubject(vm, current, online, states, request.planned());
        Map<String, ServerObject> byName = new java.util.HashMap<>();
        hypervisors.forEach(hv -> byName.put(hv.hostname(), hv));
        List<HypervisorVerdict> verdicts = new ArrayList<>();
        List<ScoredCandidate> ranked = ranking.ranked();
        int batch = settings.hardCheckBatchSize();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(batch, Math.max(1, ranked.size())));
        int failed = 0;
        try {
            for (int from = 0; from < ranked.size() && failed < settings.maxFailedHardChecks(); from += batch) {
                List<ScoredCandidate> slice = ranked.subList(from, Math.min(ranked.size(), from + batch));
                List<Future<String>> failures = new ArrayList<>();
                for (ScoredCandidate c : slice) {
                    ServerObject hv = byName.get(c.hostname());
                    failures.add(pool.submit(() -> checks.failure(checkSubject, hv)));
                }
                for (int i = 0; i < slice.size(); i++) {
                    ServerObject hv = byName.get(slice.get(i).hostname());
                    String failure = result(failures.get(i));
                    if (failure == null) {
                        ChosenHypervisor chosen = lock
                                ? lockAndRecheck(checkSubject, hv, verdicts)
                                : new ChosenHypervisor(hv, null, null);
                        if (chosen == null) {
                            failed++;
                        } else {
                            verdicts.add(new HypervisorVerdict(hv.hostname(), null));
                            PlacementPlan plan = new PlacementPlan(
                                    vm.hostname(), filterText, target.isPinned(), ranking, verdicts, hv.hostname());
                            return new ChosenHypervisor(chosen.hypervisor(), chosen.lock(), plan);
                        }
                    } else {
                        verdicts.add(new HypervisorVerdict(hv.hostname(), failure));
                        failed++;
                    }
                    if (failed >= settings.maxFailedHardChecks()) {
                        break; // bounded: the rest of the ranking is not contacted
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!refuseWhenNone) {
            // A plan shows the ranking and why the checked candidates failed; the caller refuses.
            PlacementPlan plan =
                    new PlacementPlan(vm.hostname(), filterText, target.isPinned(), ranking, verdicts, null);
            return new ChosenHypervisor(null, null, plan);
        }
        throw noHypervisor(
                vm, filterText, target.isPinned(), ranking, verdicts, failed >= settings.maxFailedHardChecks());
    }

    /** Locks the hypervisor and checks it again; null (lock released) when it no longer passes. */
    private ChosenHypervisor lockAndRecheck(
            HardCheckSubject subject, ServerObject hv, List<HypervisorVerdict> verdicts) {
        HeldLock held;
        try {
            held = env.locks().acquire(hv);
        } catch (ConflictException busy) {
            verdicts.add(new HypervisorVerdict(hv.hostname(), "locked by another igvm"));
            return null;
        }
        try {
            ServerObject fresh = env.inventory().get(hv.objectId()).orElse(hv);
            String failure = checks.failure(subject, fresh);
            if (failure == null) {
                return new ChosenHypervisor(fresh, held, null);
            }
            verdicts.add(new HypervisorVerdict(hv.hostname(), "after locking: " + failure));
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        held.close();
        return null;
    }

    private static Query candidateFilter(ServerObject vm, Set<String> states, boolean enforceEnvironment) {
        Query filter = Query.where("servertype", "hypervisor");
        filter = filter.and(
                "state",
                states.size() == 1
                        ? new Filter.Equals(states.iterator().next())
                        : new Filter.Any(states.stream()
                                .map(s -> (Filter) new Filter.Equals(s))
                                .toList()));
        String network = vm.string("route_network");
        if (network != null) {
            filter = filter.and("vlan_networks", network);
        }
        if (enforceEnvironment && vm.string("environment") != null) {
            filter = filter.and("environment", vm.string("environment"));
        }
        return filter;
    }

    private ServerObject currentHypervisor(ServerObject vm) {
        String hv = vm.string("hypervisor");
        if (hv == null || hv.isEmpty()) {
            return null;
        }
        return env.inventory().query(Query.where("hostname", hv).and("servertype", "hypervisor")).stream()
                .findFirst()
                .orElse(null);
    }

    private boolean running(ServerObject vm, ServerObject current) {
        try {
            return env.hypervisors()
                    .findDomain(current.hostname(), vm.objectId())
                    .map(d -> d.isRunning())
                    .orElse(false);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot tell whether {} runs on {} ({}); checking for an online migration",
                    vm.hostname(),
                    current.hostname(),
                    e.getMessage());
            return true;
        }
    }

    /** Stops the background read of the totals and waits until its thread has ended. */
    private static void abandon(Future<VmTotalsPerHypervisor> totals, ExecutorService reader) {
        totals.cancel(true);
        try {
            if (!reader.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("the background read of the placement totals did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The totals read in the background; the store's own exception if reading them failed. */
    private static VmTotalsPerHypervisor joined(Future<VmTotalsPerHypervisor> totals) {
        try {
            return totals.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedException("placement was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String result(Future<String> check) {
        try {
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedException("placement was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
    }

    private static RefusedException noHypervisor(
            ServerObject vm,
            String filter,
            boolean pinned,
            PlacementRanking ranking,
            List<HypervisorVerdict> verdicts,
            boolean bounded) {
        if (pinned && !verdicts.isEmpty()) {
            HypervisorVerdict v = verdicts.get(0);
            return new RefusedException(v.hostname() + " cannot take " + vm.hostname() + ": " + v.reason());
        }
        List<String> reasons = new ArrayList<>();
        for (HypervisorVerdict v : verdicts) {
            reasons.add(v.hostname() + ": " + v.reason());
        }
        for (ScoredCandidate c : ranking.excluded()) {
            reasons.add(c.hostname() + ": excluded by preference " + c.excludedBy());
        }
        int total = reasons.size();
        String shown = String.join("; ", reasons.subList(0, Math.min(REASONS_SHOWN, total)));
        return new RefusedException("no hypervisor can take " + vm.hostname() + " (filter '" + filter + "'): " + shown
                + (total > REASONS_SHOWN ? "; and " + (total - REASONS_SHOWN) + " more" : "")
                + (bounded
                        ? "; stopped after " + verdicts.size() + " failed hard checks of "
                                + ranking.ranked().size() + " ranked"
                        : ""));
    }
}
