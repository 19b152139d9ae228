package org.igvm.domain.placement;

/**
 * Not more CPU-over-allocated than the current hypervisor (spec §4): a VM without a current
 * hypervisor → 1.0; cur = Σ num_cpu of the current hypervisor's VMs ÷ its cores; tgt = (VM's
 * num_cpu + Σ num_cpu of this hypervisor's VMs) ÷ its cores; rel = tgt/cur; rel > 1 → 0.01, else 1
 * − rel.
 */
public record OverAllocation(String name) implements Preference {
    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        if (!subject.hasCurrentHypervisor()) {
            return hv -> 1.0;
        }
        PlacementCandidate current = subject.currentHypervisor();
        double cur = current.numCpu() <= 0 ? 0 : (double) current.vmNumCpu() / current.numCpu();
        int vmCpus = subject.vm().numCpu();
        return hv -> {
            if (hv.numCpu() <= 0) {
                return 1.0; // cores unknown: a fresh hypervisor
            }
            double tgt = (double) (vmCpus + hv.vmNumCpu()) / hv.numCpu();
            double rel = tgt / cur;
            return rel > 1 ? 0.01 : 1.0 - rel;
        };
    }
}
