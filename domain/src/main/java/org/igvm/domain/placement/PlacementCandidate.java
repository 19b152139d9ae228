package org.igvm.domain.placement;

import java.util.List;

/**
 * A hypervisor as placement scores it: the inventory attributes the preferences read (null when
 * empty: a missing metric counts as a fresh hypervisor), its VMs and their {@link VmTotals}.
 *
 * @param numCpu the hypervisor's cores, 0 when unknown
 * @param migrationLogPct sum of the signed CPU shares in its unexpired migration log
 */
public record PlacementCandidate(
        String hostname,
        long objectId,
        String state,
        String os,
        String environment,
        String hardwareModel,
        int numCpu,
        Long cpuUtilPct,
        Long iopsAvg,
        Long cpuPerffactor,
        Long memoryTotalGiB,
        Long poolTotalGiB,
        double migrationLogPct,
        List<PlacementVm> vms,
        VmTotals totals) {
    public PlacementCandidate {
        vms = List.copyOf(vms);
    }

    /** A candidate with its totals computed from its VMs. */
    public static PlacementCandidate of(
            String hostname,
            long objectId,
            String state,
            String os,
            String environment,
            String hardwareModel,
            int numCpu,
            Long cpuUtilPct,
            Long iopsAvg,
            Long cpuPerffactor,
            Long memoryTotalGiB,
            Long poolTotalGiB,
            double migrationLogPct,
            List<PlacementVm> vms) {
        return new PlacementCandidate(
                hostname,
                objectId,
                state,
                os,
                environment,
                hardwareModel,
                numCpu,
                cpuUtilPct,
                iopsAvg,
                cpuPerffactor,
                memoryTotalGiB,
                poolTotalGiB,
                migrationLogPct,
                vms,
                VmTotals.of(vms));
    }

    /** {@code cpu_perffactor} as a factor (1.0 when unknown). */
    public double perfFactor() {
        return cpuPerffactor == null || cpuPerffactor == 0 ? 1.0 : cpuPerffactor / 1000.0;
    }
}
