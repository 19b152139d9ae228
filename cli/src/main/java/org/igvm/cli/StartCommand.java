package org.igvm.cli;

import picocli.CommandLine.Command;

@Command(name = "start", description = "Power a stopped VM on.", mixinStandardHelpOptions = true)
final class StartCommand extends VmCommand {
    StartCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        igvm().start(vm);
        out().println(vm + " started");
    }
}
