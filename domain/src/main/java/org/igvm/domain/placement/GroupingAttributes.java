package org.igvm.domain.placement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VM attributes placement compares between VMs (project, function, game_world, ...), in a fixed
 * order, and a dictionary that gives each value seen a number. Each {@link PlacementVm} carries its
 * values in this order; candidates keep them as numbers from this dictionary, so that counting like
 * VMs compares integers in one flat array instead of chasing strings. A subject and its
 * candidates must share one instance.
 */
public final class GroupingAttributes {
    private static final int EMPTY = 0;

    private final List<String> names;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<String, String> canonical = new ConcurrentHashMap<>();

    public GroupingAttributes(List<String> names) {
        this.names = List.copyOf(new LinkedHashSet<>(names));
    }

    /** Every attribute any of the preferences groups by. */
    public static GroupingAttributes of(List<Preference> preferences) {
        Set<String> names = new LinkedHashSet<>();
        preferences.forEach(p -> names.addAll(p.groupingAttributes()));
        return new GroupingAttributes(List.copyOf(names));
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
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

    /**
     * The one instance of this value the dictionary keeps: builders of {@link PlacementVm}s pass
     * their values through it, so that equal values are one object and numbering them later finds
     * them by identity instead of comparing the text of hundreds of thousands of copies.
     */
    public String canonical(String value) {
        if (value == null) {
            return null;
        }
        String known = canonical.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    /** The value's number; equal values get equal numbers, an empty value 0. */
    public int idOf(String value) {
        if (value == null) {
            return EMPTY;
        }
        Integer id = ids.get(value);
        if (id != null) {
            return id;
        }
        synchronized (ids) {
            return ids.computeIfAbsent(value, v -> ids.size() + 1);
        }
    }

    /** The numbers of the VMs' values, VM after VM, {@link #size()} per VM. */
    int[] idsOf(List<PlacementVm> vms) {
        int k = names.size();
        int[] out = new int[vms.size() * k];
        for (int v = 0; v < vms.size(); v++) {
            List<String> values = vms.get(v).groupValues();
            if (values.size() != k) {
                throw new IllegalArgumentException(vms.get(v).hostname() + " has " + values.size()
                        + " grouping values, expected one per " + names);
            }
            for (int a = 0; a < k; a++) {
                out[v * k + a] = idOf(values.get(a));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "GroupingAttributes" + names;
    }
}
