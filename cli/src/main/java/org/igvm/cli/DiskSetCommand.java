package org.igvm.cli;

import org.igvm.api.DiskSetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "disk-set",
        description = "Grow a VM's disk and its root file system (live, or on the hypervisor when it is off).",
        mixinStandardHelpOptions = true)
final class DiskSetCommand extends VmCommand {
    @Parameters(
            index = "1",
            paramLabel = "SIZE",
            description = "The new disk size (GiB unless a unit K, M, G, T is given), or +SIZE.")
    String size;

    DiskSetCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        ChangeReport.print(
                igvm().diskSet(new DiskSetRequest(vm, size)),
                " GiB",
                out(),
                spec.commandLine().getErr());
    }
}
