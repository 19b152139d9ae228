package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import org.igvm.api.Igvm;
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

    @Inject
    RestartCommand(Provider<Igvm> igvm) {
        super(igvm);
    }

    @Override
    void execute() {
        igvm().restart(vm, force, noRedefine);
        out().println(vm + " restarted");
    }
}
