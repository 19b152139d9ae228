package org.igvm.domain.placement;

/** A capacity placement checks before putting a VM on a hypervisor. */
public enum PlacementResource {
    /** Pool space: {@code libvirt_pool_total_gib} against the VMs' {@code disk_size_gib}. */
    DISK("libvirt_pool_total_gib", "disk_size_gib") {
        @Override
        long hypervisorValue(PlacementCandidate hv) {
            return hv.poolTotalGiB();
        }

        @Override
        long vmValue(PlacementVm vm) {
            return vm.diskGiB();
        }

        @Override
        long sumOfVms(PlacementCandidate hv) {
            return hv.vmDiskGiB();
        }
    },
    /** Memory: {@code libvirt_memory_total_gib} against the VMs' {@code memory} (MiB). */
    MEMORY("libvirt_memory_total_gib", "memory") {
        @Override
        long hypervisorValue(PlacementCandidate hv) {
            return hv.memoryTotalGiB();
        }

        @Override
        long vmValue(PlacementVm vm) {
            return vm.memoryMiB();
        }

        @Override
        long sumOfVms(PlacementCandidate hv) {
            return hv.vmMemoryMiB();
        }
    };

    private final String hypervisorAttribute;
    private final String vmAttribute;

    PlacementResource(String hypervisorAttribute, String vmAttribute) {
        this.hypervisorAttribute = hypervisorAttribute;
        this.vmAttribute = vmAttribute;
    }

    public String hypervisorAttribute() {
        return hypervisorAttribute;
    }

    public String vmAttribute() {
        return vmAttribute;
    }

    abstract long hypervisorValue(PlacementCandidate hv);

    abstract long vmValue(PlacementVm vm);

    /** Σ of the VM attribute over the hypervisor's VMs that are not retired. */
    abstract long sumOfVms(PlacementCandidate hv);
}
