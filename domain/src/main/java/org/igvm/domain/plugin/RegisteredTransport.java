package org.igvm.domain.plugin;

import java.util.Set;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;

/**
 * A disk transport igvm found, with what its factory said about itself when it was loaded and
 * where it came from.
 *
 * @param origin {@link #BUILT_IN} for one on igvm's own class path, else the plugin jar's path
 */
public record RegisteredTransport(
        String name,
        Set<MigrationMode> modes,
        Set<StorageKind> storage,
        String version,
        String origin,
        DiskTransportFactory factory) {

    /** The origin of a transport found on igvm's own class path. */
    public static final String BUILT_IN = "built-in (classpath)";

    public RegisteredTransport {
        modes = Set.copyOf(modes);
        storage = Set.copyOf(storage);
    }

    /** Reads the factory's name, modes, storage and version once. */
    public static RegisteredTransport of(DiskTransportFactory factory, String origin) {
        return new RegisteredTransport(
                factory.name(), factory.modes(), factory.storage(), factory.version(), origin, factory);
    }
}
