package org.igvm.domain.inventory;

import java.util.Collections;
import java.util.List;

/**
 * One group of {@link InventoryPort#totals}: the group's values of the grouping attributes (null
 * where an object has none), how many matching objects it holds, and the sums of the summed
 * integer attributes over them (a missing value counts 0).
 */
public record GroupTotals(List<Object> key, long count, List<Long> sums) {
    public GroupTotals {
        key = Collections.unmodifiableList(new java.util.ArrayList<>(key));
        sums = List.copyOf(sums);
    }

    public long sum(int index) {
        return sums.get(index);
    }
}
