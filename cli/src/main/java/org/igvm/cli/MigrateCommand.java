package org.igvm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.ByteRate;
import org.igvm.api.ExitCodes;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationPlan;
import org.igvm.api.MigrationProgress;
import org.igvm.api.MigrationResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "migrate",
        description = "Move a VM to another hypervisor, online (default for a running VM) or offline, with the"
                + " disk transport of your choice. On failure or Ctrl-C the VM stays on its source as it was.",
        mixinStandardHelpOptions = true)
final class MigrateCommand implements Callable<Integer> {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's hostname (a unique short name is enough).")
    String vm;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "HV_QUERY",
            description = "A hypervisor hostname (pins it) or a query merged into placement's filter,"
                    + " e.g. 'hv.* num_cpu=GreaterThan(16)'.")
    String query;

    @Mixin
    PlacementOptions placementOptions = new PlacementOptions();

    @Option(names = "--offline", description = "Shut the VM down for the move.")
    boolean offline;

    @Option(
            names = "--disk-transport",
            paramLabel = "NAME",
            description = "The disk transport (see igvm transports); default qemu online, drbd offline.")
    String diskTransport;

    @Option(names = "--run-puppet", description = "Run Puppet on the target disk before the start (offline).")
    boolean runPuppet;

    @Option(names = "--debug-puppet", description = "Run that Puppet with debug output.")
    boolean debugPuppet;

    @Option(
            names = "--no-shutdown",
            description = "Offline: wait up to 24 h for you to shut the VM down instead of shutting it down.")
    boolean noShutdown;

    @Option(names = "--dry-run", description = "Print the plan (target and why, transport, downtime); change nothing.")
    boolean dryRun;

    @Option(
            names = "--bwlimit",
            paramLabel = "RATE",
            converter = RateConverter.class,
            description = "Cap the copy at RATE bytes per second, with units K M G T (e.g. 100M, 1G).")
    Long bandwidthLimit;

    @Option(names = "--no-verify", description = "Do not verify the copy's checksums.")
    boolean noVerify;

    @Option(names = "--json", description = "Print the result (or the plan) as one JSON object.")
    boolean json;

    private final LazyRuntime runtime;

    MigrateCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code --bwlimit}: a bad rate is a parameter error, one line and exit 2. */
    static final class RateConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteRate.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MigrateRequest.Builder request = MigrateRequest.builder(vm)
                .hypervisorQuery(query)
                .offline(offline)
                .diskTransport(diskTransport)
                .runPuppet(runPuppet)
                .debugPuppet(debugPuppet)
                .ignoreReserved(placementOptions.ignoreReserved)
                .noShutdown(noShutdown)
                .enforceVmEnvironment(placementOptions.enforceVmEnv)
                .softPreferences(placementOptions.softPreferences)
                .dryRun(dryRun)
                .bandwidthLimit(bandwidthLimit == null ? 0 : bandwidthLimit)
                .verify(!noVerify);
        if (dryRun) {
            MigrationPlan plan = runtime.igvm().planMigration(request.build());
            if (json) {
                out.println(JsonOutput.write(asMap(plan)));
            } else {
                print(plan, out);
            }
            out.flush();
            return ExitCodes.OK;
        }
        MigrationResult result;
        try (Progress progress = new Progress(err, silent(), System.console() != null && !json)) {
            result = runtime.igvm().migrate(request.progress(progress).build());
        }
        for (String warning : result.warnings()) {
            err.println("igvm: warning: " + warning);
        }
        if (json) {
            out.println(JsonOutput.write(asMap(result)));
        } else {
            out.println(result.vm() + " migrated from " + result.source() + " to " + result.target() + " ("
                    + result.mode() + ", " + result.transport() + ", " + gib(result.bytes()) + " in "
                    + seconds(result.duration())
                    + (result.downtime() == null ? "" : ", downtime " + seconds(result.downtime())) + ")");
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** Whether {@code -s} was given: no progress then. */
    private boolean silent() {
        Object root = spec.root().userObject();
        return root instanceof IgvmCommand igvm && igvm.global != null && igvm.global.silent.length > 0;
    }

    private static void print(MigrationPlan plan, PrintWriter out) {
        out.println("plan for " + plan.vm() + ": " + plan.source() + " -> " + plan.target());
        for (String reason : plan.reasons()) {
            out.println("  why: " + reason);
        }
        out.println("transport: " + plan.transport() + " (" + plan.mode() + ")");
        out.println("bytes to move: " + plan.bytesToMove() + " (" + gib(plan.bytesToMove()) + ")");
        out.println("expected downtime: " + plan.expectedDowntime());
        out.println("nothing was changed (dry run)");
    }

    static Map<String, Object> asMap(MigrationPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", plan.vm());
        m.put("source", plan.source());
        m.put("target", plan.target());
        m.put("reasons", plan.reasons());
        m.put("transport", plan.transport());
        m.put("mode", plan.mode());
        m.put("bytes_to_move", plan.bytesToMove());
        m.put("expected_downtime", plan.expectedDowntime());
        m.put("dry_run", true);
        return m;
    }

    static Map<String, Object> asMap(MigrationResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", result.vm());
        m.put("source", result.source());
        m.put("target", result.target());
        m.put("mode", result.mode());
        m.put("transport", result.transport());
        m.put("bytes", result.bytes());
        m.put("duration_ms", result.duration().toMillis());
        m.put(
                "downtime_ms",
                result.downtime() == null ? null : result.downtime().toMillis());
        m.put("warnings", result.warnings());
        return m;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The migration's progress for the operator, on stderr: a line per phase, and the bytes as a
     * progress bar on a terminal, else as a plain line at most every 10 %. Nothing with {@code -s}.
     */
    static final class Progress implements MigrationProgress, AutoCloseable {
        private final PrintWriter err;
        private final boolean silent;
        private final TransferBar bar;

        Progress(PrintWriter err, boolean silent, boolean bar) {
            this.err = err;
            this.silent = silent;
            this.bar = new TransferBar("copy", bar, 1024L * 1024 * 1024);
        }

        @Override
        public synchronized void phase(String phase) {
            if (silent) {
                return;
            }
            closeBar();
            err.println("migrate: " + phase);
            err.flush();
        }

        @Override
        public synchronized void step(String description) {
            if (!silent) {
                err.println("migrate:   " + description);
                err.flush();
            }
        }

        @Override
        public synchronized void bytes(long done, long total, long bytesPerSecond) {
            if (silent) {
                return;
            }
            if (bar.update(done, total)) {
                err.println("migrate:   copied " + gib(done) + (total > 0 ? " of " + gib(total) : "")
                        + (bytesPerSecond > 0
                                ? String.format(Locale.ROOT, " at %.1f MiB/s", bytesPerSecond / 1048576.0)
                                : ""));
                err.flush();
            }
        }

        @Override
        public synchronized void memory(double percent, long bytesPerSecond) {
            if (!silent && !bar.drawsBar()) {
                err.println(String.format(Locale.ROOT, "migrate:   memory %.0f %%", percent));
                err.flush();
            }
        }

        @Override
        public synchronized void downtime(Duration measured) {
            if (!silent) {
                err.println("migrate:   downtime " + seconds(measured));
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
