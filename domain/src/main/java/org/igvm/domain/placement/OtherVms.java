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
        int[] indexes = new int[attributes.size()];
        String[] wanted = new String[attributes.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = subject.grouping().indexOf(attributes.get(i));
            wanted[i] = vm.groupValue(indexes[i]);
            if (!values.isEmpty() && !Objects.equals(values.get(i), wanted[i])) {
                return hv -> 1.0; // not such a VM: no other VM counts
            }
        }
        String hostname = vm.hostname();
        return hv -> {
            List<PlacementVm> vms = hv.vms();
            int n = 0;
            for (int v = 0, size = vms.size(); v < size; v++) {
                PlacementVm other = vms.get(v);
                if (sameGroup(other, indexes, wanted) && !other.hostname().equals(hostname)) {
                    n++;
                }
            }
            return score(n);
        };
    }

    private static boolean sameGroup(PlacementVm other, int[] indexes, String[] wanted) {
        List<String> values = other.groupValues();
        for (int i = 0; i < indexes.length; i++) {
            if (!Objects.equals(values.get(indexes[i]), wanted[i])) {
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
