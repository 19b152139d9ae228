package org.igvm.domain.placement;

import java.util.List;

/**
 * What placement needs to know of one VM: its size, its load and the values of the {@link
 * GroupingAttributes} (as text, null when empty), in that order.
 *
 * @param load99 99th percentile load ×1000; null when not measured
 */
public record PlacementVm(
        String hostname,
        String state,
        int numCpu,
        long memoryMiB,
        long diskGiB,
        String environment,
        Long load99,
        List<String> groupValues) {
    public PlacementVm {
        groupValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(groupValues));
    }

    public boolean isRetired() {
        return "retired".equals(state);
    }

    public String groupValue(int index) {
        return groupValues.get(index);
    }
}
