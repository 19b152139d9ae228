package org.igvm.bootstrap.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.igvm.api.TransportCatalog;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the {@link TransportRegistry} (for the migrate flow) and the API's {@link TransportCatalog}
 * (for listing). Plugins are loaded the first time something asks for it
 * (so {@code igvm info} reads no plugin directory), and their class loaders close with the
 * runtime.
 */
public final class PluginModule extends AbstractModule {
    private static final Logger log = LoggerFactory.getLogger(PluginModule.class);

    private final PluginConfig config;
    private final String pluginPath;

    /**
     * @param pluginPath the value of {@code $IGVM_PLUGIN_PATH}, or null
     */
    public PluginModule(PluginConfig config, String pluginPath) {
        this.config = config;
        this.pluginPath = pluginPath;
    }

    @Provides
    @Singleton
    LoadedPlugins loadedPlugins() {
        return new PluginLoader(IgvmPlugin.class.getClassLoader()).load(directories());
    }

    @Provides
    TransportCatalog transportCatalog(Provider<TransportRegistry> registry) {
        return new RegistryTransportCatalog(registry::get, directories());
    }

    private List<PluginDirectory> directories() {
        return PluginDirectories.of(config, pluginPath);
    }

    /** Lazy: the plugins load, and two transports of one name fail, where the registry is first used. */
    @Provides
    @Singleton
    TransportRegistry transportRegistry(Provider<LoadedPlugins> plugins) {
        return TransportRegistry.lazy(
                () -> {
                    List<RegisteredTransport> transports = plugins.get().transports();
                    Set<String> names =
                            transports.stream().map(RegisteredTransport::name).collect(Collectors.toSet());
                    for (String name : config.configuredTransports()) {
                        if (!names.contains(name)) {
                            log.warn(
                                    "setting 'transports.{}' in {} is for a disk transport that is not installed;"
                                            + " it is ignored",
                                    name,
                                    config.source());
                        }
                    }
                    return transports;
                },
                config::transport);
    }
}
