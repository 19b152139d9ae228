package org.igvm.domain.placement;

import java.util.List;
import java.util.Objects;

/**
 * No other VM like this one on the hypervisor (spec §4 "other VMs"): counts the hypervisor's VMs
 * (other hostnames) equal to the VM on every attribute. With {@code values}, only a VM that has
 * exactly those values is compared at all (e.g. function=db, game_world=0: database masters).
 * Hypervisor without VMs or none counted → 1.0; else x = 1 − n/100 and the score is x × 0.01, or
 * 0.01 when x ≤ 0.
 *
 * @param values the values the VM must have, one per attribute; empty for any
 */
public record OtherVms(String name, List<String> attributes, List<String> values) implements Preference {
    public OtherVms {
        attributes = List.copyOf(attributes);
        values = List.copyOf(values);
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException(name + ": other_vms needs at least one attribute");
        }
        if (!values.isEmpty() && values.size() != attributes.size()) {
            throw new IllegalArgumentException(
                    name + ": other_vms needs one value per attribute " + attributes + ", got " + values);
        }
    }

    @Override
    public List<String> groupingAttributes() {
        return attributes;
    }

    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        PlacementVm vm = subject.vm();
        GroupingAttributes grouping = subject.grouping();
        int[] positions = new int[attributes.size()];
        int[] wanted = new int[attributes.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = grouping.indexOf(attributes.get(i));
            String value = vm.groupValue(positions[i]);
            if (!values.isEmpty() && !Objects.equals(values.get(i), value)) {
                return hv -> 1.0; // not such a VM: no other VM counts
            }
            wanted[i] = grouping.idOf(value);
        }
        String hostname = vm.hostname();
        return hv -> {
            int counted = hv.likeVms(name);
            if (counted >= 0) {
                return score(counted);
            }
            if (hv.groups().grouping() != grouping) {
                throw new IllegalArgumentException(hv.hostname() + "'s VMs were grouped by "
                        + hv.groups().grouping() + ", not by the subject's " + grouping);
            }
            return score(hv.groups().countOthers(positions, wanted, hv.vms(), hostname));
        };
    }

    /**
     * The inventory query for the VMs this preference counts as like the given one on other
     * hypervisors (the VM itself excluded); empty when the VM is not one the preference compares.
     */
    public java.util.Optional<org.igvm.domain.inventory.Query> likeVmsQuery(
            PlacementVm vm, GroupingAttributes grouping) {
        org.igvm.domain.inventory.Query q = org.igvm.domain.inventory.Query.where("servertype", "vm")
                .and(
                        "hostname",
                        new org.igvm.domain.inventory.Filter.Not(
                                new org.igvm.domain.inventory.Filter.Equals(vm.hostname())));
        for (int i = 0; i < attributes.size(); i++) {
            String value = vm.groupValue(grouping.indexOf(attributes.get(i)));
            if (!values.isEmpty() && !Objects.equals(values.get(i), value)) {
                return java.util.Optional.empty();
            }
            q = q.and(
                    attributes.get(i),
                    value == null
                            ? new org.igvm.domain.inventory.Filter.Empty()
                            : new org.igvm.domain.inventory.Filter.Equals(value));
        }
        return java.util.Optional.of(q);
    }

    /**
     * Whether this preference counts {@code other} as like {@code subject}: another hostname, the
     * subject one the preference compares, equal on every attribute (as {@link #likeVmsQuery}).
     */
    boolean counts(PlacementVm subject, PlacementVm other, GroupingAttributes grouping) {
        if (subject.hostname().equals(other.hostname())) {
            return false;
        }
        for (int i = 0; i < attributes.size(); i++) {
            int at = grouping.indexOf(attributes.get(i));
            String value = subject.groupValue(at);
            if (!values.isEmpty() && !Objects.equals(values.get(i), value)) {
                return false;
            }
            if (!Objects.equals(value, other.groupValue(at))) {
                return false;
            }
        }
        return true;
    }

    static double score(int n) {
        if (n == 0) {
            return 1.0;
        }
        double x = 1.0 - n / 100.0;
        return x <= 0 ? 0.01 : x * 0.01;
    }
}
