package org.igvm.cli;

import org.igvm.api.DeleteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "delete",
        description = "Remove a stopped VM's domain and volume, and delete it from the inventory.",
        mixinStandardHelpOptions = true)
final class DeleteCommand extends VmCommand {
    @Option(names = "--retire", description = "Keep it in the inventory as retired, without a hypervisor.")
    boolean retire;

    DeleteCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        igvm().delete(DeleteRequest.builder(vm).retire(retire).build());
        out().println(vm + (retire ? " deleted from its hypervisor and retired" : " deleted"));
    }
}
