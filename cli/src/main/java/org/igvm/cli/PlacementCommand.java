package org.igvm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.PlacementRequest;
import org.igvm.api.PlacementResult;
import org.igvm.api.PlacementResult.ExcludedHypervisor;
import org.igvm.api.PlacementResult.RankedHypervisor;
import org.igvm.api.RefusedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    static final int EXCLUDED_SHOWN = 100;

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

    @Mixin
    PlacementOptions placementOptions = new PlacementOptions();

    @Option(names = "--offline", description = "The VM would move offline: skip the online-migration checks.")
    boolean offline;

    @Option(
            names = "--all",
            description = "List every excluded hypervisor (default: the first " + EXCLUDED_SHOWN + ").")
    boolean all;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private final LazyRuntime runtime;

    PlacementCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        PlacementResult plan = runtime.igvm()
                .placement()
                .plan(PlacementRequest.builder(vm)
                        .targetQuery(query)
                        .offline(offline)
                        .ignoreReserved(placementOptions.ignoreReserved)
                        .enforceVmEnvironment(placementOptions.enforceVmEnv)
                        .softPreferences(placementOptions.softPreferences)
                        .build());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonOutput.write(asMap(plan)));
        } else {
            print(plan, out);
        }
        out.flush();
        if (plan.chosen() == null) {
            // The ranking and the failed checks are printed; the refusal is the one error line.
            long failed = plan.excluded().stream()
                    .filter(e -> e.reason().startsWith("hard check: "))
                    .count();
            throw new RefusedException("no hypervisor can take " + plan.vm() + " (filter '" + plan.filter() + "'): "
                    + plan.ranked().size() + " ranked, " + failed + " failed their hard checks (see above)");
        }
        return ExitCodes.OK;
    }

    private List<ExcludedHypervisor> excludedShown(PlacementResult plan) {
        return all
                ? plan.excluded()
                : plan.excluded()
                        .subList(0, Math.min(EXCLUDED_SHOWN, plan.excluded().size()));
    }

    private static long candidates(PlacementResult plan) {
        return plan.ranked().size()
                + plan.excluded().stream()
                        .filter(e -> e.reason().startsWith("preference "))
                        .count();
    }

    private void print(PlacementResult plan, PrintWriter out) {
        out.println("placement of " + plan.vm() + (plan.pinned() ? " on pinned " : " among ") + plan.filter());
        out.println("preferences: " + String.join(", ", plan.preferences()));
        List<RankedHypervisor> top = top(plan);
        out.printf("%-4s %-32s %-8s %s%n", "rank", "hypervisor", "total", "scores");
        for (int i = 0; i < top.size(); i++) {
            RankedHypervisor c = top.get(i);
            out.printf("%-4d %-32s %-8s %s%n", i + 1, c.hostname(), number(c.total()), scores(c));
        }
        if (plan.ranked().size() > SHOWN) {
            out.println("     ... and " + (plan.ranked().size() - SHOWN) + " more ranked");
        }
        List<ExcludedHypervisor> shown = excludedShown(plan);
        for (ExcludedHypervisor e : shown) {
            out.println(
                    (e.reason().startsWith("hard check: ")
                            ? "hard check failed " + e.hostname() + ": "
                                    + e.reason().substring("hard check: ".length())
                            : "excluded " + e.hostname() + ": " + e.reason()));
        }
        if (shown.size() < plan.excluded().size()) {
            out.println("... and " + (plan.excluded().size() - shown.size()) + " more excluded (--all lists them)");
        }
        out.println(candidates(plan) + " candidates, " + plan.ranked().size() + " ranked, "
                + plan.excluded().size() + " excluded");
        out.println("chosen: " + (plan.chosen() == null ? "none" : plan.chosen()));
    }

    private static List<RankedHypervisor> top(PlacementResult plan) {
        return plan.ranked().subList(0, Math.min(SHOWN, plan.ranked().size()));
    }

    private static String scores(RankedHypervisor c) {
        List<String> parts = new ArrayList<>();
        for (Double s : c.scores()) {
            parts.add(s == null ? "-" : number(s));
        }
        return String.join(" ", parts);
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    private Map<String, Object> asMap(PlacementResult plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", plan.vm());
        m.put("filter", plan.filter());
        m.put("pinned", plan.pinned());
        m.put("preferences", plan.preferences());
        List<Object> ranked = new ArrayList<>();
        for (RankedHypervisor c : top(plan)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("hypervisor", c.hostname());
            r.put("total", c.total());
            Map<String, Object> scores = new LinkedHashMap<>();
            for (int p = 0; p < plan.preferences().size(); p++) {
                scores.put(plan.preferences().get(p), c.scores().get(p));
            }
            r.put("scores", scores);
            ranked.add(r);
        }
        m.put("ranked", ranked);
        m.put("candidates_count", candidates(plan));
        m.put("ranked_count", plan.ranked().size());
        m.put("excluded_count", plan.excluded().size());
        List<Object> excluded = new ArrayList<>();
        for (ExcludedHypervisor e : excludedShown(plan)) {
            // Ordered maps: the same key order in every run.
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("hypervisor", e.hostname());
            x.put("reason", e.reason());
            excluded.add(x);
        }
        m.put("excluded", excluded);
        m.put("chosen", plan.chosen());
        return m;
    }
}
