package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.igvm.adapters.inventory.FleetFile;
import org.igvm.api.ExitCodes;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.InventoryPort;
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

    private final Provider<InventoryPort> inventory;

    @Inject
    InventoryImportCommand(Provider<InventoryPort> inventory) {
        this.inventory = inventory;
    }

    @Override
    public Integer call() {
        int count;
        try (Reader in = Files.newBufferedReader(file)) {
            count = FleetFile.importInto(inventory.get(), in, replace);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("fleet file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read fleet file " + file + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("imported " + count + " objects from " + file);
        return ExitCodes.OK;
    }
}
