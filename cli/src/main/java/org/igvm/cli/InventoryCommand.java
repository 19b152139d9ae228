package org.igvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "inventory",
        description = "Read and change the inventory (the source of truth for VMs and hypervisors).",
        mixinStandardHelpOptions = true,
        subcommands = {
            InventoryInitCommand.class,
            InventoryImportCommand.class,
            InventoryExportCommand.class,
            InventoryShowCommand.class,
            InventoryQueryCommand.class,
            InventorySetCommand.class,
        })
final class InventoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
