package org.igvm.domain.placement;

import java.util.Map;

/**
 * What the store summed and counted for placement, by hypervisor hostname (see {@link
 * InventoryPlacementData#vmTotals}): Σ disk and memory of the VMs that are not retired, Σ vCPUs
 * and the number of VMs, and per {@link OtherVms} preference how many VMs like the subject each
 * hypervisor has. A hypervisor that is missing has none.
 *
 * @param sums per hypervisor {disk, memory (not retired), vCPUs, VMs}
 * @param likeVms per hypervisor, preference name → number of VMs like the subject
 */
record VmTotalsPerHypervisor(Map<String, long[]> sums, Map<String, Map<String, Integer>> likeVms) {
    long[] sumsOf(String hypervisor) {
        return sums.getOrDefault(hypervisor, new long[4]);
    }

    Map<String, Integer> likeVmsOf(String hypervisor) {
        return likeVms.getOrDefault(hypervisor, Map.of());
    }
}
