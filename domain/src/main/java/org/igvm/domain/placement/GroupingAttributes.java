package org.igvm.domain.placement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The VM attributes placement compares between VMs (project, function, game_world, ...), in a fixed
 * order: each {@link PlacementVm} carries its values in this order, so preferences compare them by
 * index instead of by name.
 */
public record GroupingAttributes(List<String> names) {
    public GroupingAttributes {
        names = List.copyOf(new LinkedHashSet<>(names));
    }

    /** Every attribute any of the preferences groups by. */
    public static GroupingAttributes of(List<Preference> preferences) {
        Set<String> names = new LinkedHashSet<>();
        preferences.forEach(p -> names.addAll(p.groupingAttributes()));
        return new GroupingAttributes(List.copyOf(names));
    }

    /** The position of the attribute's value in {@link PlacementVm#groupValues()}. */
    public int indexOf(String attribute) {
        int i = names.indexOf(attribute);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "grouping attribute " + attribute + " is not among the candidates' " + names);
        }
        return i;
    }
}
