package org.igvm.api;

/** Where placement would put a VM (spec §4). Locks and changes nothing. */
public interface Placement {
    /**
     * The ranking of the candidate hypervisors by the configured preferences, the ones excluded with
     * the reason, and the hypervisor the hard checks on live data would pick.
     */
    PlacementResult plan(PlacementRequest request);
}
