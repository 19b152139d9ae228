package org.igvm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.TransportCatalog;
import org.igvm.api.TransportInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "transports",
        description = "List the disk transports igvm can migrate with: built in, and from plugin jars in the plugin"
                + " directories (~/.config/igvm/plugins/, the config's plugins.dirs, $IGVM_PLUGIN_PATH),"
                + " with their modes, storage, version and origin, sorted by name.",
        mixinStandardHelpOptions = true)
final class TransportsCommand implements Callable<Integer> {
    private static final List<String> HEADER = List.of("NAME", "MODES", "STORAGE", "VERSION", "ORIGIN");

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    private final LazyRuntime runtime;

    TransportsCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        TransportCatalog transports = runtime.igvm().transports();
        List<TransportInfo> all = transports.transports();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonOutput.write(asMap(all, transports.pluginDirectories())));
        } else if (all.isEmpty()) {
            out.println("no disk transports found: none is built in, and the plugin directories ("
                    + String.join(", ", transports.pluginDirectories()) + ") hold none");
        } else {
            table(all, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void table(List<TransportInfo> all, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TransportInfo t : all) {
            rows.add(List.of(
                    t.name(), String.join(",", t.modes()), String.join(",", t.storage()), t.version(), t.origin()));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.println(line);
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static Map<String, Object> asMap(List<TransportInfo> all, List<String> dirs) {
        List<Object> transports = new ArrayList<>();
        for (TransportInfo t : all) {
            Map<String, Object> m = new TreeMap<>();
            m.put("name", t.name());
            m.put("modes", t.modes());
            m.put("storage", t.storage());
            m.put("version", t.version());
            m.put("origin", t.origin());
            transports.add(m);
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("transports", transports);
        m.put("plugin_directories", dirs);
        return m;
    }
}
