package org.igvm.api;

import java.util.List;

/**
 * What an evacuation did: the plan, and per VM in the plan's order what became of it.
 *
 * @param stateAfter the hypervisor's state at the end: {@code online_reserved} once anything moved,
 *     else what it was before
 * @param cancelled the operator cancelled it (Ctrl-C): what was running rolled back, nothing more started
 */
public record EvacuationResult(
        EvacuationPlan plan, List<VmEvacuation> vms, String stateAfter, boolean cancelled, boolean dryRun) {
    public EvacuationResult {
        vms = List.copyOf(vms);
    }

    /** The VMs that did not move (failed, cancelled, never started, or without room). */
    public List<String> notMoved() {
        List<String> names = new java.util.ArrayList<>();
        vms.stream().filter(v -> !v.moved()).forEach(v -> names.add(v.vm()));
        plan.unplaced().forEach(u -> names.add(u.vm()));
        return names;
    }
}
