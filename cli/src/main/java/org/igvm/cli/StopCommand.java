package org.igvm.cli;

import org.igvm.api.StopRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "stop",
        description = "Shut a VM down gracefully (forced off after the shutdown timeout).",
        mixinStandardHelpOptions = true)
final class StopCommand extends VmCommand {
    @Option(names = "--force", description = "Power off at once instead of shutting down.")
    boolean force;

    StopCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        igvm().stop(StopRequest.builder(vm).force(force).build());
        out().println(vm + " stopped");
    }
}
