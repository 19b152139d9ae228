package org.igvm.domain.placement;

import java.util.List;

/**
 * The result of ranking: the preference names (the order of every candidate's scores), the ranked
 * hypervisors best first, and the excluded ones in candidate order.
 */
public record PlacementRanking(List<String> preferences, List<ScoredCandidate> ranked, List<ScoredCandidate> excluded) {
    public PlacementRanking {
        preferences = List.copyOf(preferences);
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
    }
}
