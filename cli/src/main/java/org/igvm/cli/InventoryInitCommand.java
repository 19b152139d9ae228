package org.igvm.cli;

import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        description = "Create an empty inventory where the config points (inventory.url), if there is none;"
                + " other commands never create one.",
        mixinStandardHelpOptions = true)
final class InventoryInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final LazyRuntime runtime;

    InventoryInitCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        boolean created = runtime.inventory().init();
        spec.commandLine()
                .getOut()
                .println(created ? "created an empty inventory" : "the inventory exists already; nothing changed");
        return ExitCodes.OK;
    }
}
