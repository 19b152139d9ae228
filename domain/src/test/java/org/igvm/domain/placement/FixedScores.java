package org.igvm.domain.placement;

import java.util.Map;

/** A test preference that gives each hypervisor a fixed score by hostname (1.0 if not listed). */
record FixedScores(String name, Map<String, Double> byHostname) implements Preference {
    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        return hv -> byHostname.getOrDefault(hv.hostname(), 1.0);
    }
}
