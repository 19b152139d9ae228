package org.igvm.domain.placement;

import java.util.Objects;

/** The hypervisor's {@code environment} equals the VM's → 1.0, else 0.01. */
public record SameEnvironment(String name) implements Preference {
    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        String environment = subject.vm().environment();
        return hv -> Objects.equals(hv.environment(), environment) ? 1.0 : 0.01;
    }
}
