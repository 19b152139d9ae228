package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.HypervisorVerdict;
import org.igvm.domain.placement.PlacementPlan;
import org.igvm.domain.placement.PlacementRanking;
import org.igvm.domain.placement.PlacementRequest;
import org.igvm.domain.placement.ScoredCandidate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "placement",
        description = "Show where placement would put a VM: the top 10 hypervisors with total and per-preference"
                + " scores, the excluded ones with the reason, and the hypervisor the hard checks pick."
                + " Changes nothing.",
        mixinStandardHelpOptions = true)
final class PlacementCommand implements Callable<Integer> {
    private static final int SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's hostname (a unique short name is enough).")
    String vm;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "HV_QUERY",
            description = "A hypervisor hostname (pins it) or a query merged into the candidate filter,"
                    + " e.g. 'hv.* num_cpu=GreaterThan(16)'.")
    String query;

    @Option(names = "--offline", description = "The VM would move offline: skip the online-migration checks.")
    boolean offline;

    @Option(names = "--ignore-reserved", description = "Also consider hypervisors in state online_reserved.")
    boolean ignoreReserved;

    @Option(names = "--enforce-vm-env", description = "Only hypervisors of the VM's environment.")
    boolean enforceVmEnv;

    @Option(names = "--soft-preferences", description = "A preference scoring 0 ranks lower instead of excluding.")
    boolean softPreferences;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private final Provider<HypervisorPlacement> placement;

    @Inject
    PlacementCommand(Provider<HypervisorPlacement> placement) {
        this.placement = placement;
    }

    @Override
    public Integer call() {
        PlacementPlan plan = placement
                .get()
                .plan(new PlacementRequest(vm, query, offline, ignoreReserved, enforceVmEnv, softPreferences));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(asMap(plan)));
        } else {
            print(plan, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PlacementPlan plan, PrintWriter out) {
        PlacementRanking ranking = plan.ranking();
        out.println("placement of " + plan.vm() + (plan.pinned() ? " on pinned " : " among ") + plan.filter());
        out.println("preferences: " + String.join(", ", ranking.preferences()));
        List<ScoredCandidate> top =
                ranking.ranked().subList(0, Math.min(SHOWN, ranking.ranked().size()));
        out.printf("%-4s %-32s %-8s %s%n", "rank", "hypervisor", "total", "scores");
        for (int i = 0; i < top.size(); i++) {
            ScoredCandidate c = top.get(i);
            out.printf("%-4d %-32s %-8s %s%n", i + 1, c.hostname(), number(c.total()), scores(c));
        }
        if (ranking.ranked().size() > SHOWN) {
            out.println("     ... and " + (ranking.ranked().size() - SHOWN) + " more ranked");
        }
        for (ScoredCandidate c : ranking.excluded()) {
            out.println("excluded " + c.hostname() + ": preference " + c.excludedBy());
        }
        for (HypervisorVerdict v : plan.checked()) {
            if (!v.chosen()) {
                out.println("hard check failed " + v.hostname() + ": " + v.reason());
            }
        }
        out.println("chosen: " + plan.chosen());
    }

    private static String scores(ScoredCandidate c) {
        List<String> parts = new ArrayList<>();
        for (double s : c.scores()) {
            parts.add(Double.isNaN(s) ? "-" : number(s));
        }
        return String.join(" ", parts);
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    private static Map<String, Object> asMap(PlacementPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", plan.vm());
        m.put("filter", plan.filter());
        m.put("pinned", plan.pinned());
        m.put("preferences", plan.ranking().preferences());
        List<Object> ranked = new ArrayList<>();
        for (ScoredCandidate c : plan.ranking()
                .ranked()
                .subList(0, Math.min(SHOWN, plan.ranking().ranked().size()))) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("hypervisor", c.hostname());
            r.put("total", c.total());
            Map<String, Object> scores = new LinkedHashMap<>();
            for (int p = 0; p < plan.ranking().preferences().size(); p++) {
                scores.put(plan.ranking().preferences().get(p), Double.isNaN(c.score(p)) ? null : c.score(p));
            }
            r.put("scores", scores);
            ranked.add(r);
        }
        m.put("ranked", ranked);
        m.put("ranked_count", plan.ranking().ranked().size());
        List<Object> excluded = new ArrayList<>();
        for (ScoredCandidate c : plan.ranking().excluded()) {
            excluded.add(Map.of("hypervisor", c.hostname(), "reason", "preference " + c.excludedBy()));
        }
        for (HypervisorVerdict v : plan.checked()) {
            if (!v.chosen()) {
                excluded.add(Map.of("hypervisor", v.hostname(), "reason", "hard check: " + v.reason()));
            }
        }
        m.put("excluded", excluded);
        m.put("chosen", plan.chosen());
        return m;
    }
}
