package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import org.igvm.api.Igvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "delete",
        description = "Remove a stopped VM's domain and volume, and delete it from the inventory.",
        mixinStandardHelpOptions = true)
final class DeleteCommand extends VmCommand {
    @Option(names = "--retire", description = "Keep it in the inventory as retired, without a hypervisor.")
    boolean retire;

    @Inject
    DeleteCommand(Provider<Igvm> igvm) {
        super(igvm);
    }

    @Override
    void execute() {
        igvm().delete(vm, retire);
        out().println(vm + (retire ? " deleted from its hypervisor and retired" : " deleted"));
    }
}
