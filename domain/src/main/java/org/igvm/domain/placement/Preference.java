package org.igvm.domain.placement;

import java.util.List;

/**
 * One rule of the ordered preference list (spec §4). Scores lie in 0..1; 0 excludes the hypervisor
 * unless preferences are soft.
 */
public interface Preference {
    /** The name the configuration and the ranking show, e.g. {@code enough_disk}. */
    String name();

    /** What scores each candidate for this subject; whatever depends only on the subject is done here once. */
    CandidateScore prepare(PlacementSubject subject);

    /** VM attributes this preference compares between VMs; none by default. */
    default List<String> groupingAttributes() {
        return List.of();
    }

    /**
     * Scores one candidate hypervisor for a prepared subject. Must be thread-safe: large candidate
     * lists are scored in parallel chunks.
     */
    @FunctionalInterface
    interface CandidateScore {
        double score(PlacementCandidate hypervisor);
    }
}
