package org.igvm.domain.placement;

/**
 * A hypervisor's VMs' grouping values as numbers of one {@link GroupingAttributes} dictionary, VM
 * after VM in one flat array ({@code grouping.size()} numbers per VM), so that counting like VMs
 * reads memory in order.
 */
public final class VmGroups {
    private final GroupingAttributes grouping;
    private final int[] ids;

    VmGroups(GroupingAttributes grouping, int[] ids) {
        this.grouping = grouping;
        this.ids = ids;
    }

    public GroupingAttributes grouping() {
        return grouping;
    }

    /**
     * How many of the VMs equal the wanted numbers at the given attribute positions, not counting
     * a VM with the given hostname (the VM being placed, on its current hypervisor).
     */
    int countOthers(int[] positions, int[] wanted, java.util.List<PlacementVm> vms, String hostname) {
        int k = grouping.size();
        int n = 0;
        for (int base = 0, v = 0; base < ids.length; base += k, v++) {
            boolean same = true;
            for (int i = 0; i < positions.length; i++) {
                if (ids[base + positions[i]] != wanted[i]) {
                    same = false;
                    break;
                }
            }
            if (same && !vms.get(v).hostname().equals(hostname)) {
                n++;
            }
        }
        return n;
    }
}
