package org.igvm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.ImportRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "import",
        description = "Add every object of a YAML fleet file to the inventory, in one commit.",
        mixinStandardHelpOptions = true)
final class InventoryImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The fleet file (objects: [...]).")
    Path file;

    @Option(names = "--replace", description = "Replace objects that already exist instead of failing.")
    boolean replace;

    private final LazyRuntime runtime;

    InventoryImportCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        int count = runtime.inventory()
                .importFleet(ImportRequest.builder(file).replace(replace).build());
        spec.commandLine().getOut().println("imported " + count + " objects from " + file);
        return ExitCodes.OK;
    }
}
