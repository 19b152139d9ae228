package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import org.igvm.api.Igvm;
import picocli.CommandLine.Command;

@Command(
        name = "define",
        description = "Re-create the libvirt domain of a VM's existing volume from the inventory, and start it.",
        mixinStandardHelpOptions = true)
final class DefineCommand extends VmCommand {
    @Inject
    DefineCommand(Provider<Igvm> igvm) {
        super(igvm);
    }

    @Override
    void execute() {
        igvm().define(vm);
        out().println(vm + " defined and started");
    }
}
