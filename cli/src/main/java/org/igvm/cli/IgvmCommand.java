package org.igvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "igvm",
        mixinStandardHelpOptions = true,
        versionProvider = IgvmVersion.class,
        description = "Builds, changes and migrates KVM virtual machines across libvirt hypervisors,"
                + " with the inventory as the source of truth.",
        subcommands = {
            StartCommand.class,
            StopCommand.class,
            RestartCommand.class,
            DefineCommand.class,
            DeleteCommand.class,
            SyncCommand.class,
            InfoCommand.class,
            VcpuSetCommand.class,
            MemSetCommand.class,
            DiskSetCommand.class,
            ChangeAddressCommand.class,
            RenameCommand.class,
            PlacementCommand.class,
            MigrateCommand.class,
            EvacuateCommand.class,
            BuildCommand.class,
            CleanCertCommand.class,
            InventoryCommand.class,
            UnlockCommand.class,
            TransportsCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success",
            " 1:an operation failed on a hypervisor or host; what it did was undone",
            " 2:bad input (arguments, size, query, attribute, config)",
            " 3:no such VM or hypervisor, or a short name matches several",
            " 4:another igvm holds the lock, or the inventory changed meanwhile",
            " 5:inventory and hypervisor disagree; nothing was changed",
            " 6:a hypervisor or host could not be reached",
            " 7:refused in the object's current state (retired, running, ...)",
            " 8:the inventory could not be read or written",
            "70:internal error (run with -vv and report it)"
        })
final class IgvmCommand implements Runnable {
    @Mixin
    VerbosityOptions global;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
