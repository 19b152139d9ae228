package org.igvm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.EvacuateRequest;
import org.igvm.api.EvacuationPlan;
import org.igvm.api.EvacuationProgress;
import org.igvm.api.EvacuationResult;
import org.igvm.api.ExitCodes;
import org.igvm.api.MigrationPlan;
import org.igvm.api.UnplacedVm;
import org.igvm.api.VmEvacuation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "evacuate",
        description = "Empty a hypervisor: set it online_reserved and migrate each of its VMs away, along a plan"
                + " made up front that never overfills a target. A failing VM rolls back; the others go on.",
        mixinStandardHelpOptions = true)
final class EvacuateCommand implements Callable<Integer> {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HV", description = "The hypervisor to empty.")
    String hypervisor;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "HV_QUERY",
            description = "A query merged into placement's filter for every VM, e.g. 'hv0[23].*'.")
    String query;

    @Mixin
    PlacementOptions placementOptions = new PlacementOptions();

    @Option(
            names = "--offline",
            arity = "0..*",
            paramLabel = "FUNCTION",
            fallbackValue = ALL,
            description = "Move offline the VMs of these functions; without values, every VM. Give it after HV"
                    + " and HV_QUERY (or end its values with --).")
    List<String> offline;

    @Option(
            names = "--online-transport",
            paramLabel = "NAME",
            description = "The disk transport of online moves (default qemu).")
    String onlineTransport;

    @Option(
            names = "--offline-transport",
            paramLabel = "NAME",
            description = "The disk transport of offline moves (default drbd, as migrate's).")
    String offlineTransport;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run up to N migrations at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--max-per-target",
            paramLabel = "M",
            defaultValue = "1",
            description = "At most M migrations to the same hypervisor at once (default ${DEFAULT-VALUE}).")
    int maxPerTarget;

    @Option(
            names = "--bwlimit",
            paramLabel = "RATE",
            converter = MigrateCommand.RateConverter.class,
            description = "Cap each migration at RATE bytes per second, with units K M G T (e.g. 100M).")
    Long bandwidthLimit;

    @Option(names = "--partial", description = "Move the VMs that have room even when some have none.")
    boolean partial;

    @Option(
            names = "--dry-run",
            description = "Print the plan (each VM's target and why, mode, bytes); change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result (or the plan) as one JSON object.")
    boolean json;

    /** What {@code --offline} without values stands for. */
    static final String ALL = "\u0000all";

    private final LazyRuntime runtime;

    EvacuateCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvacuateRequest.Builder request = EvacuateRequest.builder(hypervisor)
                .hypervisorQuery(query)
                .onlineTransport(onlineTransport)
                .offlineTransport(offlineTransport)
                .ignoreReserved(placementOptions.ignoreReserved)
                .enforceVmEnvironment(placementOptions.enforceVmEnv)
                .softPreferences(placementOptions.softPreferences)
                .parallel(parallel)
                .maxPerTarget(maxPerTarget)
                .partial(partial)
                .bandwidthLimit(bandwidthLimit == null ? 0 : bandwidthLimit)
                .dryRun(dryRun);
        if (offline != null) {
            List<String> functions =
                    offline.stream().filter(f -> !f.equals(ALL)).toList();
            if (functions.isEmpty()) {
                request.offline();
            } else {
                request.offline(functions);
            }
        }
        if (dryRun) {
            EvacuationResult result = runtime.igvm().evacuate(request.build());
            if (json) {
                out.println(JsonOutput.write(asMap(result)));
            } else {
                print(result.plan(), out);
            }
            out.flush();
            if (!result.plan().unplaced().isEmpty() && !partial) {
                err.println("igvm: error: no hypervisor can take "
                        + names(result.plan().unplaced())
                        + "; nothing would move; add --partial to move the others, or widen the target query");
                err.flush();
                return ExitCodes.REFUSED;
            }
            return ExitCodes.OK;
        }
        // On a terminal one bar per running migration, drawn together; otherwise plain lines.
        boolean terminal = System.console() != null && !json && !silent();
        EvacuationResult result;
        try (EvacuationBars bars = terminal ? new EvacuationBars() : null) {
            EvacuationProgress progress = terminal ? bars : new EvacuationLines(err, silent());
            result = runtime.igvm().evacuate(request.progress(progress).build());
        }
        for (VmEvacuation v : result.vms()) {
            v.warnings().forEach(w -> err.println("igvm: warning: " + v.vm() + ": " + w));
        }
        if (json) {
            out.println(JsonOutput.write(asMap(result)));
        } else {
            printSummary(result, out);
        }
        out.flush();
        List<String> notMoved = result.notMoved();
        if (result.cancelled()) {
            err.println("igvm: evacuation of " + result.plan().hypervisor() + " cancelled; not moved: "
                    + (notMoved.isEmpty() ? "none" : String.join(", ", notMoved)));
            err.flush();
            return ExitCodes.CANCELLED;
        }
        if (!notMoved.isEmpty()) {
            err.println("igvm: error: " + notMoved.size() + " VM(s) did not move off "
                    + result.plan().hypervisor() + ": " + String.join(", ", notMoved) + " (see the summary)");
            err.flush();
            return ExitCodes.OPERATION_FAILED;
        }
        return ExitCodes.OK;
    }

    private boolean silent() {
        Object root = spec.root().userObject();
        return root instanceof IgvmCommand igvm && igvm.global != null && igvm.global.silent.length > 0;
    }

    private static String names(List<UnplacedVm> unplaced) {
        return String.join(", ", unplaced.stream().map(UnplacedVm::vm).toList());
    }

    static void print(EvacuationPlan plan, PrintWriter out) {
        out.println("evacuation plan for " + plan.hypervisor() + " (state " + plan.stateBefore()
                + (plan.stateBefore().equals("online_reserved") ? "" : ", to become online_reserved") + "):");
        if (plan.moves().isEmpty() && plan.unplaced().isEmpty()) {
            out.println("  no VMs to move");
        }
        int i = 1;
        for (MigrationPlan move : plan.moves()) {
            out.println("  " + i++ + ". " + move.vm() + " -> " + move.target() + " (" + move.mode() + ", "
                    + move.transport() + ", " + gib(move.bytesToMove()) + ")");
            for (String reason : move.reasons()) {
                out.println("       why: " + reason);
            }
        }
        for (UnplacedVm u : plan.unplaced()) {
            out.println("  no room: " + u.vm() + ": " + u.reason());
        }
        plan.notInInventory()
                .forEach(domain -> out.println(
                        "  left alone: domain " + domain + " (the inventory does not place a VM of it there)"));
        out.println("nothing was changed (dry run)");
    }

    static void printSummary(EvacuationResult result, PrintWriter out) {
        EvacuationPlan plan = result.plan();
        if (plan.moves().isEmpty() && plan.unplaced().isEmpty()) {
            out.println(plan.hypervisor() + " has no VMs; its state is " + result.stateAfter());
            printLeftAlone(plan, out);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VM", "TARGET", "MODE", "TRANSPORT", "TIME", "DOWNTIME", "RESULT"});
        for (VmEvacuation v : result.vms()) {
            rows.add(new String[] {
                v.vm(),
                v.target(),
                v.mode(),
                v.transport(),
                seconds(v.time()),
                v.downtime() == null ? "-" : seconds(v.downtime()),
                v.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + (v.error() == null ? "" : ": " + PrintableText.of(v.error()))
            });
        }
        for (UnplacedVm u : plan.unplaced()) {
            rows.add(new String[] {u.vm(), "-", "-", "-", "-", "-", "no room: " + PrintableText.of(u.reason())});
        }
        int[] widths = new int[7];
        for (String[] row : rows) {
            for (int c = 0; c < 6; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < 6; c++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s  ", row[c]));
            }
            out.println(line.append(row[6]).toString().stripTrailing());
        }
        out.println(plan.hypervisor() + " is " + result.stateAfter());
        printLeftAlone(plan, out);
    }

    private static void printLeftAlone(EvacuationPlan plan, PrintWriter out) {
        for (String domain : plan.notInInventory()) {
            out.println("left alone: domain " + domain + " (the inventory does not place a VM of it there)");
        }
    }

    static Map<String, Object> asMap(EvacuationResult result) {
        EvacuationPlan plan = result.plan();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hypervisor", plan.hypervisor());
        m.put("state_before", plan.stateBefore());
        m.put("state_after", result.stateAfter());
        m.put("dry_run", result.dryRun());
        m.put("cancelled", result.cancelled());
        List<Object> moves = new ArrayList<>();
        for (MigrationPlan move : plan.moves()) {
            moves.add(MigrateCommand.asMap(move));
        }
        m.put("plan", moves);
        List<Object> unplaced = new ArrayList<>();
        for (UnplacedVm u : plan.unplaced()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vm", u.vm());
            row.put("reason", u.reason());
            unplaced.add(row);
        }
        m.put("unplaced", unplaced);
        m.put("not_in_inventory", plan.notInInventory());
        List<Object> vms = new ArrayList<>();
        for (VmEvacuation v : result.vms()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vm", v.vm());
            row.put("target", v.target());
            row.put("mode", v.mode());
            row.put("transport", v.transport());
            row.put("result", v.outcome().name().toLowerCase(Locale.ROOT));
            row.put("time_ms", v.time().toMillis());
            row.put("downtime_ms", v.downtime() == null ? null : v.downtime().toMillis());
            row.put("error", v.error());
            row.put("warnings", v.warnings());
            vms.add(row);
        }
        m.put("vms", vms);
        return m;
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
