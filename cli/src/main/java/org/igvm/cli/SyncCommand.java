package org.igvm.cli;

import org.igvm.api.AttributeDifference;
import org.igvm.api.SyncReport;
import picocli.CommandLine.Command;

@Command(
        name = "sync",
        description = "Copy a VM's actual CPUs, memory and disk size from its hypervisor into the inventory.",
        mixinStandardHelpOptions = true)
final class SyncCommand extends VmCommand {
    SyncCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        SyncReport report = igvm().sync(vm);
        if (!report.changedAnything()) {
            out().println(report.hostname() + ": inventory already matches the hypervisor");
        }
        for (AttributeDifference d : report.changes()) {
            out().println(report.hostname() + ": " + d.attribute() + " " + d.inventoryValue() + " -> "
                    + d.hypervisorValue());
        }
    }
}
