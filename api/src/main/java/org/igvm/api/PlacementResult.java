package org.igvm.api;

import java.util.List;

/**
 * What placement decided for a VM, without changing anything.
 *
 * @param vm the VM's full hostname
 * @param filter the effective candidate filter as query text (or {@code hostname=HV} when pinned)
 * @param pinned the target query named one hypervisor
 * @param preferences the preference names, in the order of every ranked hypervisor's scores
 * @param ranked every ranked hypervisor, best first
 * @param excluded the hypervisors left out, first by a preference (in candidate order), then by a
 *     failed hard check (in the order they were tried)
 * @param chosen the hypervisor the hard checks pick; null when none passes
 */
public record PlacementResult(
        String vm,
        String filter,
        boolean pinned,
        List<String> preferences,
        List<RankedHypervisor> ranked,
        List<ExcludedHypervisor> excluded,
        String chosen) {
    public PlacementResult {
        preferences = List.copyOf(preferences);
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
    }

    /**
     * One ranked hypervisor.
     *
     * @param total the total score
     * @param scores the score under each preference, in the order of {@link #preferences()}; an
     *     element is null where the preference was not evaluated
     */
    public record RankedHypervisor(String hostname, double total, List<Double> scores) {
        public RankedHypervisor {
            scores = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(scores));
        }
    }

    /**
     * One hypervisor placement left out.
     *
     * @param reason {@code preference NAME} or {@code hard check: WHY}
     */
    public record ExcludedHypervisor(String hostname, String reason) {}
}
