package org.igvm.domain.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The disk transports igvm knows, by name: what {@code --disk-transport} picks from and {@code igvm
 * transports} lists.
 */
public final class TransportRegistry {
    private final Supplier<List<RegisteredTransport>> source;
    private final Function<String, TransportConfig> configs;
    private Map<String, RegisteredTransport> byName;

    private TransportRegistry(Supplier<List<RegisteredTransport>> source, Function<String, TransportConfig> configs) {
        this.source = source;
        this.configs = configs;
    }

    /**
     * The registry of the transports; two with one name is an {@link InvalidInputException} naming
     * both origins.
     *
     * @param configs each transport's config section by name (a fresh one on every call)
     */
    public static TransportRegistry of(
            List<RegisteredTransport> transports, Function<String, TransportConfig> configs) {
        TransportRegistry registry = lazy(() -> transports, configs);
        registry.byName();
        return registry;
    }

    /**
     * A registry whose transports are found (plugins loaded) on its first use, which is where two
     * with one name fail; creating it does nothing.
     */
    public static TransportRegistry lazy(
            Supplier<List<RegisteredTransport>> transports, Function<String, TransportConfig> configs) {
        return new TransportRegistry(transports, configs);
    }

    private synchronized Map<String, RegisteredTransport> byName() {
        if (byName == null) {
            Map<String, RegisteredTransport> found = new TreeMap<>();
            for (RegisteredTransport t : source.get()) {
                RegisteredTransport earlier = found.putIfAbsent(t.name(), t);
                if (earlier != null) {
                    throw new InvalidInputException("two disk transports are named '" + t.name() + "': one from "
                            + describe(earlier) + ", one from " + describe(t) + "; remove one of them");
                }
            }
            byName = new LinkedHashMap<>(found);
        }
        return byName;
    }

    private static String describe(RegisteredTransport t) {
        return t.origin() + " (" + t.factory().getClass().getName() + ")";
    }

    /** Every transport, sorted by name. */
    public List<RegisteredTransport> all() {
        List<RegisteredTransport> all = new ArrayList<>(byName().values());
        all.sort(Comparator.comparing(RegisteredTransport::name));
        return List.copyOf(all);
    }

    public Optional<RegisteredTransport> find(String name) {
        return Optional.ofNullable(byName().get(name));
    }

    /** The transport of that name; an unknown name is an {@link InvalidInputException} listing the known. */
    public RegisteredTransport require(String name) {
        Map<String, RegisteredTransport> byName = byName();
        RegisteredTransport t = byName.get(name);
        if (t != null) {
            return t;
        }
        if (byName.isEmpty()) {
            throw new InvalidInputException(
                    "unknown disk transport '" + name + "': no disk transports are installed (see igvm transports)");
        }
        throw new InvalidInputException(
                "unknown disk transport '" + name + "'; known transports: " + String.join(", ", byName.keySet()));
    }

    /** The transport's section of the config file ({@code transports.<name>:}), fresh for one migration. */
    public TransportConfig config(String name) {
        return configs.apply(require(name).name());
    }
}
