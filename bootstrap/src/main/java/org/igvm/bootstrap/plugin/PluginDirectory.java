package org.igvm.bootstrap.plugin;

import java.nio.file.Path;

/**
 * A directory igvm loads plugins from, and who named it.
 *
 * @param path the directory; each jar directly in it, and each folder of jars, is one plugin
 * @param namedBy {@code "default"}, {@code "config plugins.dirs"} or {@code "IGVM_PLUGIN_PATH"}
 */
public record PluginDirectory(Path path, String namedBy) {
    /** Whether a missing directory is normal (the default one) rather than worth a warning. */
    public boolean mayBeMissing() {
        return namedBy.equals("default");
    }
}
