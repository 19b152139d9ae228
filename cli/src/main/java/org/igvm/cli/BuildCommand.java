package org.igvm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.igvm.api.BuildPlan;
import org.igvm.api.BuildProgress;
import org.igvm.api.BuildRequest;
import org.igvm.api.BuildResult;
import org.igvm.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "build",
        description = "Create a VM from the inventory on its hypervisor (or placement's choice) and start it:"
                + " volume, XFS, image, root file system, SSH host keys, Puppet, domain, SSH, postboot script."
                + " On failure or Ctrl-C nothing is left behind.",
        mixinStandardHelpOptions = true)
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's hostname (a unique short name is enough).")
    String vm;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "HV_QUERY",
            description = "For a VM without a hypervisor: a hypervisor hostname (pins it) or a query merged into"
                    + " placement's filter.")
    String query;

    @Mixin
    PlacementOptions placementOptions = new PlacementOptions();

    @Option(names = "--skip-puppet", description = "Do not run Puppet in the new root file system.")
    boolean skipPuppet;

    @Option(names = "--debug-puppet", description = "Run Puppet with --debug.")
    boolean debugPuppet;

    @Option(
            names = "--postboot",
            paramLabel = "FILE",
            description = "A script copied into the VM, run there once it answers SSH, then deleted.")
    Path postboot;

    @Option(names = "--rebuild", description = "Replace a stopped VM's domain and disk (its disk is lost).")
    boolean rebuild;

    @Option(names = "--barebones", description = "Only the volume and the domain definition; no file system or start.")
    boolean barebones;

    @Option(names = "--dry-run", description = "Print the hypervisor and why, the image and the steps; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result (or the plan) as one JSON object.")
    boolean json;

    private final LazyRuntime runtime;

    BuildCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BuildRequest request = BuildRequest.builder(vm)
                .hypervisorQuery(query)
                .runPuppet(!skipPuppet)
                .debugPuppet(debugPuppet)
                .postboot(postboot)
                .ignoreReserved(placementOptions.ignoreReserved)
                .enforceVmEnvironment(placementOptions.enforceVmEnv)
                .softPreferences(placementOptions.softPreferences)
                .rebuild(rebuild)
                .barebones(barebones)
                .dryRun(dryRun)
                .build();
        BuildResult result;
        try (Progress progress = new Progress(err, silent() || dryRun, System.console() != null && !json)) {
            result = runtime.igvm().build(request, progress);
        }
        if (json) {
            out.println(JsonOutput.write(asMap(result)));
        } else if (result.dryRun()) {
            print(result.plan(), out);
        } else {
            Duration total =
                    result.steps().stream().map(BuildResult.StepTiming::took).reduce(Duration.ZERO, Duration::plus);
            out.println(result.vm() + " built on " + result.hypervisor() + " in " + seconds(total)
                    + (result.sshfp().isEmpty() ? "" : " (" + result.sshfp().size() + " SSHFP records)"));
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    private boolean silent() {
        Object root = spec.root().userObject();
        return root instanceof IgvmCommand igvm && igvm.global != null && igvm.global.silent.length > 0;
    }

    static void print(BuildPlan plan, PrintWriter out) {
        out.println("plan for " + plan.vm() + ": build on " + plan.hypervisor());
        for (String reason : plan.reasons()) {
            out.println("  why: " + reason);
        }
        out.println("image: " + (plan.imageUrl() == null ? "none (barebones)" : plan.imageUrl()));
        out.println("steps: " + String.join(", ", plan.steps()));
        out.println("nothing was changed (dry run)");
    }

    static Map<String, Object> asMap(BuildResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", result.vm());
        m.put("hypervisor", result.hypervisor());
        m.put("dry_run", result.dryRun());
        m.put("reasons", result.plan().reasons());
        m.put("image_url", result.plan().imageUrl());
        m.put("steps", result.plan().steps());
        if (!result.dryRun()) {
            m.put("sshfp", result.sshfp());
            Map<String, Object> timings = new LinkedHashMap<>();
            for (BuildResult.StepTiming t : result.steps()) {
                timings.put(t.step(), t.took().toMillis());
            }
            m.put("step_ms", timings);
        }
        return m;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The build's progress for the operator, on stderr: a line per step with its time, details
     * indented, and the image download as a progress bar (percent, rate, ETA) on a terminal, else
     * as a plain line at most every 10 %. Nothing with {@code -s}.
     */
    static final class Progress implements BuildProgress, AutoCloseable {
        /** The steps that change nothing (spec §3 build, 1–3). */
        private static final Set<String> DECIDING = Set.of("validate", "hypervisor", "check-existing");

        private final PrintWriter err;
        private final boolean silent;
        private final TransferBar bar;
        private final List<String> held = new ArrayList<>();
        private boolean deciding = true;

        Progress(PrintWriter err, boolean silent, boolean bar) {
            this.err = err;
            this.silent = silent;
            this.bar = new TransferBar("image", bar, 100L * 1024 * 1024);
        }

        @Override
        public synchronized void step(String step) {
            if (!DECIDING.contains(step)) {
                // The first change: what was decided before it is worth showing now.
                deciding = false;
            }
            line("build: " + step);
        }

        @Override
        public synchronized void stepDone(String step, Duration took) {
            line("build:   " + step + " done in " + seconds(took));
        }

        @Override
        public synchronized void detail(String description) {
            line("build:   " + PrintableText.of(description));
        }

        /**
         * A line now, or — while the build still only decides — once it changes something: a
         * refusal before that is the one error line alone.
         */
        private void line(String text) {
            if (silent) {
                return;
            }
            if (deciding) {
                held.add(text);
                return;
            }
            closeBar();
            held.forEach(err::println);
            held.clear();
            err.println(text);
            err.flush();
        }

        @Override
        public synchronized void download(long done, long total, long bytesPerSecond) {
            if (silent) {
                return;
            }
            if (bar.update(done, total)) {
                err.println(String.format(
                        Locale.ROOT,
                        "build:   downloaded %.1f MiB%s%s",
                        done / 1048576.0,
                        total > 0 ? String.format(Locale.ROOT, " of %.1f MiB", total / 1048576.0) : "",
                        bytesPerSecond > 0
                                ? String.format(Locale.ROOT, " at %.1f MiB/s", bytesPerSecond / 1048576.0)
                                : ""));
                err.flush();
            }
        }

        private void closeBar() {
            bar.close();
        }

        @Override
        public synchronized void close() {
            closeBar();
        }
    }
}
