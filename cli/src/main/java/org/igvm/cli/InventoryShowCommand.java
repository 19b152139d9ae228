package org.igvm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.InventoryObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Show every attribute of one object.", mixinStandardHelpOptions = true)
final class InventoryShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "HOST",
            description = "The object's hostname (a unique short name is enough).")
    String host;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private final LazyRuntime runtime;

    InventoryShowCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        InventoryObject object = runtime.inventory().show(host);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("object_id", object.objectId());
        fields.putAll(object.attributes());
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonOutput.write(fields));
        } else {
            fields.forEach((k, v) -> out.printf("%-26s %s%n", k, v));
        }
        return ExitCodes.OK;
    }
}
