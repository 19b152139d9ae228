package org.igvm.bootstrap.plugin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.igvm.api.TransportCatalog;
import org.igvm.api.TransportInfo;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;

/**
 * The API's view of the {@link TransportRegistry}: modes and storage in lower case, in the SPI's
 * order. The registry (and so the plugins) is asked for only when the transports are.
 */
final class RegistryTransportCatalog implements TransportCatalog {
    private final Supplier<TransportRegistry> registry;
    private final List<PluginDirectory> dirs;

    RegistryTransportCatalog(Supplier<TransportRegistry> registry, List<PluginDirectory> dirs) {
        this.registry = registry;
        this.dirs = dirs;
    }

    @Override
    public List<TransportInfo> transports() {
        return registry.get().all().stream().map(RegistryTransportCatalog::info).toList();
    }

    @Override
    public List<String> pluginDirectories() {
        return dirs.stream().map(d -> d.path().toString()).toList();
    }

    private static TransportInfo info(RegisteredTransport t) {
        return new TransportInfo(t.name(), words(t.modes()), words(t.storage()), t.version(), t.origin());
    }

    /** The enum's constants that are in the set, in declaration order, in lower case. */
    private static <E extends Enum<E>> List<String> words(Set<E> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        E any = values.iterator().next();
        return Arrays.stream(any.getDeclaringClass().getEnumConstants())
                .filter(values::contains)
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList();
    }
}
