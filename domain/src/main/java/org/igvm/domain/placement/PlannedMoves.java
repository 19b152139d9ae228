package org.igvm.domain.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.igvm.domain.inventory.ServerObject;

/**
 * The moves a batch has planned before the VM being placed now, and the hypervisors it must avoid:
 * placement counts each planned VM on its target (memory, disk, vCPUs, the other-VMs preferences,
 * its CPU share) so that a batch never overfills a hypervisor that each VM alone would fit.
 */
public record PlannedMoves(List<PlannedMove> moves, Set<String> avoided) {
    private static final PlannedMoves NONE = new PlannedMoves(List.of(), Set.of());

    public PlannedMoves {
        moves = List.copyOf(moves);
        avoided = Set.copyOf(avoided);
    }

    public static PlannedMoves none() {
        return NONE;
    }

    public PlannedMoves with(PlannedMove move) {
        List<PlannedMove> more = new ArrayList<>(moves);
        more.add(move);
        return new PlannedMoves(more, avoided);
    }

    public PlannedMoves avoiding(String hypervisor) {
        Set<String> more = new LinkedHashSet<>(avoided);
        more.add(hypervisor);
        return new PlannedMoves(moves, more);
    }

    /** The moves planned onto {@code hypervisor}. */
    public List<PlannedMove> onto(String hypervisor) {
        return moves.stream().filter(m -> m.target().equals(hypervisor)).toList();
    }

    /** Σ memory of the VMs planned onto the hypervisor, MiB, each with the per-domain overhead. */
    long memoryMiBOnto(String hypervisor, long overheadPerDomainMiB) {
        long sum = 0;
        for (PlannedMove m : onto(hypervisor)) {
            sum += m.vm().integer("memory", 0) + overheadPerDomainMiB;
        }
        return sum;
    }

    /** Σ disk of the VMs planned onto the hypervisor, GiB. */
    long diskGiBOnto(String hypervisor) {
        long sum = 0;
        for (PlannedMove m : onto(hypervisor)) {
            sum += m.vm().integer("disk_size_gib", 0);
        }
        return sum;
    }

    /**
     * The store's totals with each planned VM counted on its target instead of its source: its
     * disk, memory, vCPUs and itself, and for every other-VMs preference whether it is like the
     * subject.
     */
    VmTotalsPerHypervisor applyTo(
            VmTotalsPerHypervisor totals,
            PlacementVm subject,
            List<Preference> preferences,
            InventoryPlacementData data) {
        if (moves.isEmpty()) {
            return totals;
        }
        Map<String, long[]> sums = new HashMap<>();
        totals.sums().forEach((hv, acc) -> sums.put(hv, acc.clone()));
        Map<String, Map<String, Integer>> like = new HashMap<>();
        totals.likeVms().forEach((hv, counts) -> like.put(hv, new HashMap<>(counts)));
        for (PlannedMove m : moves) {
            PlacementVm vm = data.vm(m.vm());
            add(sums, m.target(), vm, 1);
            add(sums, m.source().hostname(), vm, -1);
            for (Preference p : preferences) {
                if (p instanceof OtherVms other && other.counts(subject, vm, data.grouping())) {
                    like.computeIfAbsent(m.target(), h -> new HashMap<>()).merge(other.name(), 1, Integer::sum);
                    like.computeIfAbsent(m.source().hostname(), h -> new HashMap<>())
                            .merge(other.name(), -1, Integer::sum);
                }
            }
        }
        return new VmTotalsPerHypervisor(sums, like);
    }

    private static void add(Map<String, long[]> sums, String hv, PlacementVm vm, int sign) {
        long[] acc = sums.computeIfAbsent(hv, h -> new long[4]);
        if (!vm.isRetired()) {
            acc[0] += sign * vm.diskGiB();
            acc[1] += sign * vm.memoryMiB();
        }
        acc[2] += sign * vm.numCpu();
        acc[3] += sign;
    }

    /**
     * The CPU share in percent the planned VMs add to the hypervisor, as the migration log would
     * record it once they moved (their share there, estimated from their source's perf factor).
     */
    double cpuSharePctOnto(ServerObject hv, InventoryPlacementData data) {
        double sum = 0;
        for (PlannedMove m : onto(hv.hostname())) {
            sum += CpuUsageLimit.vmSharePct(
                    data.vm(m.vm()),
                    PlacementCandidate.perfFactorOf(m.source().integer("cpu_perffactor")),
                    PlacementCandidate.perfFactorOf(hv.integer("cpu_perffactor")),
                    (int) hv.integer("num_cpu", 0));
        }
        return sum;
    }
}
