package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.util.List;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.vm.VmLookup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "set",
        description = "Change attributes of one object in one commit: attr=value (empty value clears;"
                + " sets take comma-separated values).",
        mixinStandardHelpOptions = true)
final class InventorySetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "The object's hostname.")
    String host;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ATTR=VALUE", description = "The changes.")
    List<String> assignments;

    private final Provider<InventoryPort> inventory;

    @Inject
    InventorySetCommand(Provider<InventoryPort> inventory) {
        this.inventory = inventory;
    }

    @Override
    public Integer call() {
        ServerObject object = new VmLookup(inventory.get()).object(host);
        AttributeSchema schema = AttributeSchema.standard();
        ObjectChange change = null;
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(
                        "'" + assignment + "' is not attr=value; write e.g. memory=4096 or state=online");
            }
            String attribute = assignment.substring(0, eq);
            if ("object_id".equals(attribute) || "servertype".equals(attribute)) {
                throw new InvalidInputException(attribute + " of " + object.hostname() + " cannot be changed");
            }
            Object value = schema.parse(object.servertype(), attribute, assignment.substring(eq + 1));
            Object old = object.get(attribute);
            change = change == null
                    ? ObjectChange.set(object.objectId(), attribute, old, value)
                    : change.and(attribute, old, value);
        }
        inventory.get().commit(Commit.of(change));
        spec.commandLine().getOut().println(object.hostname() + ": set " + String.join(" ", assignments));
        return ExitCodes.OK;
    }
}
