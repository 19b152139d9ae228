package org.igvm.api;

import java.util.List;

/**
 * The disk transports igvm found: built in (on its class path) and in the plugin directories.
 * Asking loads the plugins, once; two transports with one name is an {@link
 * InvalidInputException} naming both origins.
 */
public interface TransportCatalog {
    /** Every transport, sorted by name. */
    List<TransportInfo> transports();

    /** The plugin directories searched, in order (they need not exist). */
    List<String> pluginDirectories();
}
