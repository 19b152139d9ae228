package org.igvm.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        description = "Write the whole inventory as a YAML fleet file (to FILE, or to standard output).",
        mixinStandardHelpOptions = true)
final class InventoryExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "Where to write; '-' or nothing for stdout.")
    Path file;

    private final LazyRuntime runtime;

    InventoryExportCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        if (file == null || file.toString().equals("-")) {
            runtime.inventory().exportFleet(spec.commandLine().getOut());
            return ExitCodes.OK;
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            int count = runtime.inventory().exportFleet(out);
            spec.commandLine().getErr().println("exported " + count + " objects to " + file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
