package org.igvm.domain.placement;

import java.util.Arrays;
import java.util.List;

/**
 * One candidate's result: its score under each preference (NaN where a strict ranking stopped
 * after an excluding 0), the total, and the preference that excluded it (null when ranked).
 */
public final class ScoredCandidate {
    private final PlacementCandidate candidate;
    private final double[] scores;
    private final double total;
    private final String excludedBy;

    ScoredCandidate(PlacementCandidate candidate, double[] scores, double total, String excludedBy) {
        this.candidate = candidate;
        this.scores = scores;
        this.total = total;
        this.excludedBy = excludedBy;
    }

    public PlacementCandidate candidate() {
        return candidate;
    }

    public String hostname() {
        return candidate.hostname();
    }

    public double total() {
        return total;
    }

    /** The score of the preference at this position of the list; NaN when not evaluated. */
    public double score(int preference) {
        return scores[preference];
    }

    public List<Double> scores() {
        return Arrays.stream(scores).boxed().toList();
    }

    public boolean excluded() {
        return excludedBy != null;
    }

    /** Why the candidate is not ranked: the excluding preference's name; null when ranked. */
    public String excludedBy() {
        return excludedBy;
    }

    @Override
    public String toString() {
        return candidate.hostname() + " " + total + " " + Arrays.toString(scores)
                + (excludedBy == null ? "" : " excluded by " + excludedBy);
    }
}
