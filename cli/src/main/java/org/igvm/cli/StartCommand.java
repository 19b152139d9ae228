package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import org.igvm.api.Igvm;
import picocli.CommandLine.Command;

@Command(name = "start", description = "Power a stopped VM on.", mixinStandardHelpOptions = true)
final class StartCommand extends VmCommand {
    @Inject
    StartCommand(Provider<Igvm> igvm) {
        super(igvm);
    }

    @Override
    void execute() {
        igvm().start(vm);
        out().println(vm + " started");
    }
}
