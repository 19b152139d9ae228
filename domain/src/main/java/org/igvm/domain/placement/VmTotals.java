package org.igvm.domain.placement;

import java.util.List;

/**
 * Sums over a hypervisor's VMs, computed once per candidate: disk and memory of the VMs that are
 * not retired (what the insufficient-resource preferences subtract), vCPUs of all of them (what
 * over-allocation divides).
 */
public record VmTotals(long diskGiB, long memoryMiB, long numCpu) {
    public static VmTotals of(List<PlacementVm> vms) {
        long disk = 0;
        long memory = 0;
        long cpus = 0;
        for (PlacementVm vm : vms) {
            if (!vm.isRetired()) {
                disk += vm.diskGiB();
                memory += vm.memoryMiB();
            }
            cpus += vm.numCpu();
        }
        return new VmTotals(disk, memory, cpus);
    }
}
