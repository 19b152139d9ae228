package org.igvm.domain.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.GroupTotals;
import org.igvm.domain.inventory.HypervisorLoad;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;

/**
 * Turns inventory objects into the engine's records: one query for the VMs of all candidate
 * hypervisors, their numbers and grouping values, the unexpired migration-log sum.
 */
public final class InventoryPlacementData {
    private final InventoryPort inventory;
    private final GroupingAttributes grouping;
    private final Instant now;
    private final java.time.Duration logExpiry;

    public InventoryPlacementData(
            InventoryPort inventory, GroupingAttributes grouping, Instant now, java.time.Duration logExpiry) {
        this.inventory = inventory;
        this.grouping = grouping;
        this.now = now;
        this.logExpiry = logExpiry;
    }

    public GroupingAttributes grouping() {
        return grouping;
    }

    /** The candidates in the given (hostname) order, each with its VMs from one inventory query. */
    public List<PlacementCandidate> candidates(List<ServerObject> hypervisors) {
        Map<String, List<ServerObject>> vmsByHypervisor = new HashMap<>();
        if (!hypervisors.isEmpty()) {
            Query query = Query.where("servertype", "vm").and("hypervisor", new Filter.Not(new Filter.Empty()));
            for (ServerObject vm : inventory.query(query)) {
                vmsByHypervisor
                        .computeIfAbsent(vm.string("hypervisor"), h -> new ArrayList<>())
                        .add(vm);
            }
        }
        List<PlacementCandidate> out = new ArrayList<>(hypervisors.size());
        for (ServerObject hv : hypervisors) {
            out.add(candidate(hv, vmsByHypervisor.getOrDefault(hv.hostname(), List.of())));
        }
        return out;
    }

    /**
     * The candidates in the given order from what the store sums and counts (no VM is loaded):
     * per hypervisor Σ disk and memory of its VMs that are not retired, Σ vCPUs and the number of
     * its VMs (from {@link InventoryPort#hypervisorLoads}, which a store may keep up to date), and for each
     * {@link OtherVms} preference that compares {@code subject}, how many VMs like it each
     * hypervisor has (one count per such preference). Scores as {@link #candidates(List)} does.
     */
    public List<PlacementCandidate> candidatesFromTotals(
            List<ServerObject> hypervisors, PlacementVm subject, List<Preference> preferences) {
        return candidatesFromTotals(
                hypervisors,
                hypervisors.isEmpty() ? new VmTotalsPerHypervisor(Map.of(), Map.of()) : vmTotals(subject, preferences));
    }

    /**
     * The store's sums and counts for {@link #candidatesFromTotals(List, VmTotalsPerHypervisor)}:
     * they need only the subject, so placement reads them while it queries the candidates.
     */
    VmTotalsPerHypervisor vmTotals(PlacementVm subject, List<Preference> preferences) {
        Map<String, long[]> sums = new HashMap<>(); // disk, memory (not retired), cpus, count
        Map<String, Map<String, Integer>> like = new HashMap<>();
        for (HypervisorLoad load : inventory.hypervisorLoads()) {
            long[] acc = sums.computeIfAbsent(load.hypervisor(), h -> new long[4]);
            // A retired VM keeps its vCPUs counted but frees its disk and memory.
            if (!"retired".equals(load.state())) {
                acc[0] += load.diskSizeGib();
                acc[1] += load.memory();
            }
            acc[2] += load.numCpu();
            acc[3] += load.vms();
        }
        for (Preference p : preferences) {
            if (p instanceof OtherVms other) {
                other.likeVmsQuery(subject, grouping).ifPresent(q -> {
                    // Grouped by hypervisor, the VMs without one form the null group, skipped here:
                    // cheaper than a "hypervisor not empty" condition the store has to check.
                    for (GroupTotals g : inventory.totals(q, List.of("hypervisor"), List.of())) {
                        if (g.key().get(0) instanceof String hypervisor) {
                            like.computeIfAbsent(hypervisor, h -> new HashMap<>())
                                    .put(other.name(), (int) g.count());
                        }
                    }
                });
            }
        }
        return new VmTotalsPerHypervisor(sums, like);
    }

    /** The candidates in the given order from totals read before. */
    List<PlacementCandidate> candidatesFromTotals(List<ServerObject> hypervisors, VmTotalsPerHypervisor totals) {
        return candidatesFromTotals(hypervisors, totals, PlannedMoves.none());
    }

    /**
     * The candidates in the given order from totals read before, each with the CPU share of the VMs
     * a batch planned onto it added to its migration log's sum (the totals already count them).
     */
    List<PlacementCandidate> candidatesFromTotals(
            List<ServerObject> hypervisors, VmTotalsPerHypervisor totals, PlannedMoves planned) {
        List<PlacementCandidate> out = new ArrayList<>(hypervisors.size());
        for (ServerObject hv : hypervisors) {
            long[] acc = totals.sumsOf(hv.hostname());
            out.add(PlacementCandidate.ofTotals(
                    hv.hostname(),
                    hv.objectId(),
                    hv.state(),
                    hv.string("os"),
                    hv.string("environment"),
                    hv.string("hardware_model"),
                    (int) hv.integer("num_cpu", 0),
                    hv.integer("cpu_util_pct"),
                    hv.integer("iops_avg"),
                    hv.integer("cpu_perffactor"),
                    hv.integer("libvirt_memory_total_gib"),
                    hv.integer("libvirt_pool_total_gib"),
                    MigrationLog.sumPct(hv.strings(MigrationLog.ATTRIBUTE), now, logExpiry)
                            + planned.cpuSharePctOnto(hv, this),
                    new VmTotals(acc[0], acc[1], acc[2]),
                    (int) acc[3],
                    totals.likeVmsOf(hv.hostname()),
                    grouping));
        }
        return out;
    }

    public PlacementCandidate candidate(ServerObject hv, List<ServerObject> vms) {
        List<PlacementVm> placementVms = new ArrayList<>(vms.size());
        vms.forEach(vm -> placementVms.add(vm(vm)));
        return PlacementCandidate.of(
                hv.hostname(),
                hv.objectId(),
                hv.state(),
                hv.string("os"),
                hv.string("environment"),
                hv.string("hardware_model"),
                (int) hv.integer("num_cpu", 0),
                hv.integer("cpu_util_pct"),
                hv.integer("iops_avg"),
                hv.integer("cpu_perffactor"),
                hv.integer("libvirt_memory_total_gib"),
                hv.integer("libvirt_pool_total_gib"),
                MigrationLog.sumPct(hv.strings(MigrationLog.ATTRIBUTE), now, logExpiry),
                placementVms,
                grouping);
    }

    public PlacementVm vm(ServerObject vm) {
        List<String> values = new ArrayList<>(grouping.size());
        for (String attribute : grouping.names()) {
            values.add(grouping.canonical(vm.string(attribute)));
        }
        return new PlacementVm(
                vm.hostname(),
                vm.state(),
                (int) vm.integer("num_cpu", 0),
                vm.integer("memory", 0),
                vm.integer("disk_size_gib", 0),
                vm.string("environment"),
                vm.integer("load_99"),
                values);
    }
}
