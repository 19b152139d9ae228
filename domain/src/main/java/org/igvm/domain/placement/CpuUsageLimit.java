package org.igvm.domain.placement;

import java.util.Map;

/**
 * Predicted CPU use stays under the hardware model's threshold (spec §4). A VM without a current
 * hypervisor → 1.0; a model without a threshold → 0. Usage = {@code cpu_util_pct} (missing counts
 * as 0, a fresh hypervisor) + the VM's share + the migration log's sum, at least 0; above the
 * threshold → 0, else 1 − usage/threshold.
 *
 * @param thresholds CPU-usage threshold in percent by {@code hardware_model}
 */
public record CpuUsageLimit(String name, Map<String, Double> thresholds) implements Preference {
    public CpuUsageLimit {
        thresholds = Map.copyOf(thresholds);
    }

    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        if (!subject.hasCurrentHypervisor()) {
            return hv -> 1.0;
        }
        double sourcePerf = subject.currentHypervisor().perfFactor();
        PlacementVm vm = subject.vm();
        return hv -> {
            Double threshold = hv.hardwareModel() == null ? null : thresholds.get(hv.hardwareModel());
            if (threshold == null || threshold <= 0) {
                return 0.0;
            }
            double usage = (hv.cpuUtilPct() == PlacementCandidate.UNKNOWN ? 0 : hv.cpuUtilPct())
                    + vmSharePct(vm, sourcePerf, hv.perfFactor(), hv.numCpu())
                    + hv.migrationLogPct();
            usage = Math.max(0.0, usage);
            return usage > threshold ? 0.0 : 1.0 - usage / threshold;
        };
    }

    /**
     * The VM's estimated share of a hypervisor's CPU in percent: min(load_99/1000, num_cpu) ×
     * source perf factor ÷ target perf factor ÷ target cores × 100. 0 when the load was never
     * measured or the target's cores are unknown.
     */
    public static double vmSharePct(PlacementVm vm, double sourcePerf, double targetPerf, int targetCpus) {
        if (vm.load99() == null || targetCpus <= 0) {
            return 0.0;
        }
        double load = Math.min(vm.load99() / 1000.0, vm.numCpu());
        return load * sourcePerf / targetPerf / targetCpus * 100.0;
    }
}
