package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import org.igvm.api.Igvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "stop",
        description = "Shut a VM down gracefully (forced off after the shutdown timeout).",
        mixinStandardHelpOptions = true)
final class StopCommand extends VmCommand {
    @Option(names = "--force", description = "Power off at once instead of shutting down.")
    boolean force;

    @Inject
    StopCommand(Provider<Igvm> igvm) {
        super(igvm);
    }

    @Override
    void execute() {
        igvm().stop(vm, force);
        out().println(vm + " stopped");
    }
}
