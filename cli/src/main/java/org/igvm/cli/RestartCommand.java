package org.igvm.cli;

import org.igvm.api.RestartRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "restart",
        description = "Stop a VM, redefine its domain from the inventory, start it.",
        mixinStandardHelpOptions = true)
final class RestartCommand extends VmCommand {
    @Option(names = "--force", description = "Power off at once instead of shutting down.")
    boolean force;

    @Option(names = "--no-redefine", description = "Keep the current domain definition.")
    boolean noRedefine;

    RestartCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        igvm().restart(RestartRequest.builder(vm)
                .force(force)
                .redefine(!noRedefine)
                .build());
        out().println(vm + " restarted");
    }
}
