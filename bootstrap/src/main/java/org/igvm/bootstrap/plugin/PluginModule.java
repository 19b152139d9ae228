package org.igvm.bootstrap.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the {@link TransportRegistry}. Plugins are loaded the first time something asks for it
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
        return new PluginLoader(IgvmPlugin.class.getClassLoader()).load(PluginDirectories.of(config, pluginPath));
    }

    @Provides
    @Singleton
    TransportRegistry transportRegistry(LoadedPlugins plugins) {
        TransportRegistry registry = plugins.registry(config::transport);
        for (String name : config.configuredTransports()) {
            if (registry.find(name).isEmpty()) {
                log.warn(
                        "setting 'transports.{}' in {} is for a disk transport that is not installed; it is ignored",
                        name,
                        config.source());
            }
        }
        return registry;
    }
}
