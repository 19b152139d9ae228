package org.igvm.domain.placement;

/**
 * Enough of a resource left (spec §4 "insufficient resource"): hypervisor value empty or 0 → 1.0;
 * remaining = value × multiplier − Σ of the VMs that are not retired − reserve; remaining below
 * the VM's → 0; else 1 − VM's / remaining.
 */
public record InsufficientResource(String name, PlacementResource resource, long multiplier, long reserve)
        implements Preference {
    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        long wanted = resource.vmValue(subject.vm());
        return hv -> score(resource.hypervisorValue(hv), resource.sumOfVms(hv), wanted);
    }

    private double score(long total, long used, long wanted) {
        if (total == PlacementCandidate.UNKNOWN || total == 0) {
            return 1.0;
        }
        long remaining = total * multiplier - used - reserve;
        if (remaining < wanted) {
            return 0.0;
        }
        if (remaining == 0) {
            return 1.0; // nothing wanted, nothing left: the VM still fits
        }
        return 1.0 - (double) wanted / remaining;
    }
}
