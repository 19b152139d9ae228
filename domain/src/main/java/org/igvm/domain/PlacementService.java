package org.igvm.domain;

import java.util.ArrayList;
import java.util.List;
import org.igvm.api.Placement;
import org.igvm.api.PlacementRequest;
import org.igvm.api.PlacementResult;
import org.igvm.api.PlacementResult.ExcludedHypervisor;
import org.igvm.api.PlacementResult.RankedHypervisor;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.HypervisorVerdict;
import org.igvm.domain.placement.PlacementPlan;
import org.igvm.domain.placement.ScoredCandidate;

/** The domain's implementation of the {@link Placement} facade, over {@link HypervisorPlacement}. */
public final class PlacementService implements Placement {
    private final HypervisorPlacement placement;

    public PlacementService(HypervisorPlacement placement) {
        this.placement = placement;
    }

    @Override
    public PlacementResult plan(PlacementRequest request) {
        // review: when no hypervisor passes, the result still carries the ranking (chosen null).
        PlacementPlan plan = placement.review(new org.igvm.domain.placement.PlacementRequest(
                request.vm(),
                request.targetQuery(),
                request.offline(),
                request.ignoreReserved(),
                request.enforceVmEnvironment(),
                request.softPreferences()));
        List<RankedHypervisor> ranked = new ArrayList<>();
        for (ScoredCandidate c : plan.ranking().ranked()) {
            List<Double> scores = new ArrayList<>();
            for (double s : c.scores()) {
                scores.add(Double.isFinite(s) ? s : null);
            }
            ranked.add(new RankedHypervisor(c.hostname(), c.total(), scores));
        }
        List<ExcludedHypervisor> excluded = new ArrayList<>();
        for (ScoredCandidate c : plan.ranking().excluded()) {
            excluded.add(new ExcludedHypervisor(c.hostname(), "preference " + c.excludedBy()));
        }
        for (HypervisorVerdict v : plan.checked()) {
            if (!v.chosen()) {
                excluded.add(new ExcludedHypervisor(v.hostname(), "hard check: " + v.reason()));
            }
        }
        return new PlacementResult(
                plan.vm(), plan.filter(), plan.pinned(), plan.ranking().preferences(), ranked, excluded, plan.chosen());
    }
}
