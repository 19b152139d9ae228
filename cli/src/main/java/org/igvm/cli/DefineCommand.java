package org.igvm.cli;

import picocli.CommandLine.Command;

@Command(
        name = "define",
        description = "Re-create the libvirt domain of a VM's existing volume from the inventory, and start it.",
        mixinStandardHelpOptions = true)
final class DefineCommand extends VmCommand {
    DefineCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        igvm().define(vm);
        out().println(vm + " defined and started");
    }
}
