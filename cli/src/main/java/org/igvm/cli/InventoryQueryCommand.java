package org.igvm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.InventoryRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "query",
        description = "List the objects matching a query, e.g. 'web.* state=online' or"
                + " 'servertype=hypervisor num_cpu=GreaterThan(16)'.",
        mixinStandardHelpOptions = true)
final class InventoryQueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The query, in the inventory query language.")
    String query;

    @Option(
            names = {"-a", "--attrs"},
            split = ",",
            paramLabel = "ATTR",
            description = "Attributes to print beside each hostname.")
    List<String> attributes = new ArrayList<>();

    @Option(names = "--json", description = "Print a JSON list of objects (object_id, hostname and the --attrs).")
    boolean json;

    private final LazyRuntime runtime;

    InventoryQueryCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        // Only the printed attributes are read from the store, as rows rather than whole objects.
        List<InventoryRow> found = runtime.inventory().queryRows(query, attributes);
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>(found.size());
            for (InventoryRow o : found) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("object_id", o.objectId());
                row.put("hostname", o.hostname());
                for (int i = 0; i < attributes.size(); i++) {
                    row.put(attributes.get(i), o.values().get(i));
                }
                rows.add(row);
            }
            out.println(JsonOutput.write(rows));
            return ExitCodes.OK;
        }
        // Written in large blocks: println on the auto-flushing stdout is one write(2) per line,
        // which was seconds for 400,000 objects.
        StringBuilder block = new StringBuilder(1 << 17);
        String newline = System.lineSeparator();
        for (InventoryRow o : found) {
            block.append(o.hostname());
            for (Object value : o.values()) {
                block.append('\t');
                if (value == null) {
                    block.append('-');
                } else if (value instanceof Long number) {
                    block.append(number.longValue());
                } else {
                    block.append(value);
                }
            }
            block.append(newline);
            if (block.length() >= 1 << 16) {
                out.write(block.toString());
                block.setLength(0);
            }
        }
        out.write(block.toString());
        out.flush();
        return ExitCodes.OK;
    }
}
