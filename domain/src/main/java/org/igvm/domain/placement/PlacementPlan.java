package org.igvm.domain.placement;

import java.util.List;

/**
 * What placement decided for a VM, without changing anything: the effective candidate filter (or
 * the pinned hypervisor), the ranking, the hard-check verdicts in the order they were tried, and
 * the hypervisor chosen.
 */
public record PlacementPlan(
        String vm,
        String filter,
        boolean pinned,
        PlacementRanking ranking,
        List<HypervisorVerdict> checked,
        String chosen) {
    public PlacementPlan {
        checked = List.copyOf(checked);
    }
}
