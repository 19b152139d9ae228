package org.igvm.bootstrap.plugin;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.transport.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link PluginLoader} found: the transports of the plugins that loaded, one line for each
 * plugin that did not, and the plugins' class loaders, closed with this.
 */
public final class LoadedPlugins implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadedPlugins.class);

    private final List<RegisteredTransport> transports;
    private final List<String> problems;
    private final List<PluginClassLoader> loaders;

    LoadedPlugins(List<RegisteredTransport> transports, List<String> problems, List<PluginClassLoader> loaders) {
        this.transports = List.copyOf(transports);
        this.problems = List.copyOf(problems);
        this.loaders = List.copyOf(loaders);
    }

    /** The transports, in the order they were found (class path first, then directory by directory). */
    public List<RegisteredTransport> transports() {
        return transports;
    }

    /** One operator-facing line per plugin that did not load, naming it and the cause. */
    public List<String> problems() {
        return problems;
    }

    /** The registry of the transports; two with one name is an error naming both origins. */
    public TransportRegistry registry(Function<String, TransportConfig> configs) {
        return TransportRegistry.of(transports, configs);
    }

    @Override
    public void close() {
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                log.debug("could not close {}: {}", loader, e.getMessage());
            }
        }
    }
}
