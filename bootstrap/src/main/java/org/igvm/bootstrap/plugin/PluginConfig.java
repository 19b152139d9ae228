package org.igvm.bootstrap.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The plugin settings of the config file: {@code plugins: {dirs: [...]}} and the transports' own
 * sections, {@code transports: {<name>: {...}}}.
 *
 * @param dirs the plugin directories: those the config names, else the {@link #defaultDirectory()};
 *     the ones in {@code $IGVM_PLUGIN_PATH} come on top
 * @param source the config file, for messages
 * @param transports each transport's section, as read from YAML
 */
public record PluginConfig(List<Path> dirs, String source, Map<String, Map<String, Object>> transports) {
    public PluginConfig {
        dirs = List.copyOf(dirs);
        transports = Map.copyOf(transports);
    }

    /** The default plugin directory, the only one unless the config names others. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".config", "igvm", "plugins");
    }

    public static PluginConfig defaults() {
        return new PluginConfig(List.of(defaultDirectory()), "the defaults", Map.of());
    }

    /** The transport's section, read afresh (an empty one when the file has none). */
    public TransportConfig transport(String name) {
        return new TransportConfigSection(source, name, transports.getOrDefault(name, Map.of()));
    }

    /** The names that have a section, sorted. */
    public Set<String> configuredTransports() {
        return new TreeSet<>(transports.keySet());
    }
}
