package org.igvm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.InvalidInputException;
import org.igvm.api.InventoryObject;
import org.igvm.api.SetAttributesRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "set",
        description = "Change attributes of one object in one commit: attr=value (empty value clears;"
                + " sets take comma-separated values). igvm's lock attributes are not for setting:"
                + " break a dead holder's lock with igvm unlock.",
        mixinStandardHelpOptions = true)
final class InventorySetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "The object's hostname.")
    String host;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ATTR=VALUE", description = "The changes.")
    List<String> assignments;

    private final LazyRuntime runtime;

    InventorySetCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        SetAttributesRequest.Builder request = SetAttributesRequest.builder(host);
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(
                        "'" + assignment + "' is not attr=value; write e.g. memory=4096 or state=online");
            }
            request.set(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        InventoryObject object = runtime.inventory().set(request.build());
        spec.commandLine().getOut().println(object.hostname() + ": set " + String.join(" ", assignments));
        return ExitCodes.OK;
    }
}
