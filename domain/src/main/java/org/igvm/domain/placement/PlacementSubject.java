package org.igvm.domain.placement;

/**
 * The VM being placed, the hypervisor it is on now (null when it has none, e.g. when it is being
 * built) and the grouping attributes its and the candidates' VMs' values follow.
 */
public record PlacementSubject(PlacementVm vm, PlacementCandidate currentHypervisor, GroupingAttributes grouping) {
    public boolean hasCurrentHypervisor() {
        return currentHypervisor != null;
    }
}
