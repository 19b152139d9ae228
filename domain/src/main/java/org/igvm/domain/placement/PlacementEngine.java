package org.igvm.domain.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranks candidate hypervisors for a VM by the ordered preference list (spec §4). Each preference
 * scores 0..1. Strict: a 0 excludes the hypervisor. Soft: it stays, ranked lower. Total =
 * (Σ scores / (n − matched + 1)) / n, where n is the number of preferences and matched the number
 * that scored above 0; a total of 0 drops the hypervisor. The rest are sorted by total, highest
 * first; ties keep the candidates' order (the inventory's: hostname).
 *
 * <p>Cost: one pass over the candidates, each preference O(1) on the candidate's precomputed totals
 * or O(its VMs) for the grouping preferences; then one stable sort.
 */
public final class PlacementEngine {
    /** From this many candidates on, scoring runs in parallel chunks. */
    static final int PARALLEL_FROM = 4096;

    private static final int CHUNK = 1024;

    private final List<Preference> preferences;
    private final String[] names;

    public PlacementEngine(List<Preference> preferences) {
        if (preferences.isEmpty()) {
            throw new IllegalArgumentException("placement needs at least one preference");
        }
        this.preferences = List.copyOf(preferences);
        this.names = preferences.stream().map(Preference::name).toArray(String[]::new);
    }

    public List<Preference> preferences() {
        return preferences;
    }

    public PlacementRanking rank(PlacementSubject subject, List<PlacementCandidate> candidates, boolean soft) {
        int n = names.length;
        Preference.CandidateScore[] scorers = new Preference.CandidateScore[n];
        for (int p = 0; p < n; p++) {
            scorers[p] = preferences.get(p).prepare(subject);
        }
        int size = candidates.size();
        ScoredCandidate[] results = new ScoredCandidate[size];
        if (size >= PARALLEL_FROM) {
            // Candidates are scored independently: large fleets are split into chunks scored on the
            // common pool; results land at their candidate's index, so the order stays the same.
            int chunks = (size + CHUNK - 1) / CHUNK;
            java.util.stream.IntStream.range(0, chunks)
                    .parallel()
                    .forEach(
                            k -> score(scorers, candidates, k * CHUNK, Math.min(size, (k + 1) * CHUNK), soft, results));
        } else {
            score(scorers, candidates, 0, size, soft, results);
        }
        int rankedCount = 0;
        for (ScoredCandidate r : results) {
            if (!r.excluded()) {
                rankedCount++;
            }
        }
        return new PlacementRanking(List.of(names), sortedByTotal(results, rankedCount), excludedOnes(results));
    }

    private void score(
            Preference.CandidateScore[] scorers,
            List<PlacementCandidate> candidates,
            int from,
            int to,
            boolean soft,
            ScoredCandidate[] results) {
        int n = names.length;
        for (int c = from; c < to; c++) {
            PlacementCandidate hv = candidates.get(c);
            double[] scores = new double[n];
            double sum = 0;
            int matched = 0;
            String excludedBy = null;
            for (int p = 0; p < n; p++) {
                double s = scorers[p].score(hv);
                if (!(s >= 0.0 && s <= 1.0)) {
                    throw new IllegalStateException("preference " + names[p] + " scored " + s + " for " + hv.hostname()
                            + "; scores must lie in 0..1");
                }
                scores[p] = s;
                if (s > 0) {
                    matched++;
                    sum += s;
                } else if (!soft) {
                    excludedBy = names[p];
                    java.util.Arrays.fill(scores, p + 1, n, Double.NaN);
                    break;
                } else if (excludedBy == null) {
                    excludedBy = names[p];
                }
            }
            double total = excludedBy != null && !soft ? 0.0 : (sum / (n - matched + 1)) / n;
            if (soft) {
                // kept unless every preference scored 0
                excludedBy = total > 0 ? null : "every preference scored 0";
            }
            results[c] = new ScoredCandidate(hv, scores, total, excludedBy);
        }
    }

    private static List<ScoredCandidate> sortedByTotal(ScoredCandidate[] results, int rankedCount) {
        List<ScoredCandidate> ranked = new ArrayList<>(rankedCount);
        for (ScoredCandidate r : results) {
            if (!r.excluded()) {
                ranked.add(r);
            }
        }
        // List.sort is a stable merge sort: equal totals keep the candidates' order.
        ranked.sort((a, b) -> Double.compare(b.total(), a.total()));
        return ranked;
    }

    private static List<ScoredCandidate> excludedOnes(ScoredCandidate[] results) {
        List<ScoredCandidate> excluded = new ArrayList<>();
        for (ScoredCandidate r : results) {
            if (r.excluded()) {
                excluded.add(r);
            }
        }
        return excluded;
    }
}
