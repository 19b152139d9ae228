package org.igvm.cli;

import org.igvm.api.RenameRequest;
import org.igvm.api.RenameResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rename",
        description = "Give a VM a new hostname (shuts it down): its domain and volume become <object_id>_NEW,"
                + " the guest gets the name, Puppet runs for it, the old name's certificate is cleaned.",
        mixinStandardHelpOptions = true)
final class RenameCommand extends VmCommand {
    @Parameters(index = "1", paramLabel = "NEW", description = "The new full hostname (^[a-z][a-z0-9.-]+$).")
    String newHostname;

    @Option(names = "--offline", description = "Required: the VM is shut down while it is renamed.")
    boolean offline;

    @Option(names = "--debug-puppet", description = "Run Puppet with --debug.")
    boolean debugPuppet;

    RenameCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        RenameResult r = igvm().rename(RenameRequest.builder(vm, newHostname)
                .offline(offline)
                .debugPuppet(debugPuppet)
                .build());
        for (String warning : r.warnings()) {
            spec.commandLine().getErr().println("igvm: warning: " + warning);
        }
        spec.commandLine().getErr().flush();
        out().println(r.oldHostname() + " -> " + r.newHostname() + " (" + r.how() + ")");
    }
}
