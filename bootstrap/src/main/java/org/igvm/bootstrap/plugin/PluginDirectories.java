package org.igvm.bootstrap.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where plugins are looked for: the config's {@code plugins.dirs} (by default {@code
 * ~/.config/igvm/plugins/}), then each directory of {@code $IGVM_PLUGIN_PATH} (colon-separated).
 * A directory named twice is read once.
 */
public final class PluginDirectories {
    /** The environment variable with more plugin directories. */
    public static final String ENV = "IGVM_PLUGIN_PATH";

    private PluginDirectories() {}

    /**
     * @param pluginPath the value of {@code $IGVM_PLUGIN_PATH}, or null
     */
    public static List<PluginDirectory> of(PluginConfig config, String pluginPath) {
        List<PluginDirectory> dirs = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : config.dirs()) {
            String namedBy = dir.equals(PluginConfig.defaultDirectory()) ? "default" : "config plugins.dirs";
            add(dirs, seen, dir, namedBy);
        }
        if (pluginPath != null) {
            for (String part : pluginPath.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    add(dirs, seen, Path.of(part.strip()), ENV);
                }
            }
        }
        return List.copyOf(dirs);
    }

    private static void add(List<PluginDirectory> dirs, Set<Path> seen, Path dir, String namedBy) {
        if (seen.add(dir.toAbsolutePath().normalize())) {
            dirs.add(new PluginDirectory(dir, namedBy));
        }
    }
}
