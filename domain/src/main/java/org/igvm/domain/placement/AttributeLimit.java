package org.igvm.domain.placement;

/**
 * Lower is better, above the limit excludes (spec §4 "attribute limit"): value empty → 1.0; value
 * above the limit → 0; else 1 − value/100.
 *
 * @param limit at most 100, so that every score stays in 0..1
 */
public record AttributeLimit(String name, HypervisorMetric metric, long limit) implements Preference {
    public AttributeLimit {
        if (limit < 0 || limit > 100) {
            throw new IllegalArgumentException(name + ": the limit of " + metric.attribute()
                    + " must lie in 0..100 (the score is 1 − value/100), not " + limit);
        }
    }

    @Override
    public CandidateScore prepare(PlacementSubject subject) {
        return hv -> {
            long value = metric.of(hv);
            if (value == PlacementCandidate.UNKNOWN) {
                return 1.0;
            }
            return value > limit ? 0.0 : 1.0 - value / 100.0;
        };
    }
}
