package org.igvm.domain.spi.transport;

import java.util.Set;

/**
 * A disk transport: what {@code igvm migrate --disk-transport NAME} picks by its {@link #name()}.
 * A plugin offers its factories from {@link org.igvm.domain.spi.plugin.IgvmPlugin#diskTransports()};
 * igvm's own transports (netcat, drbd, qemu) come the same way. A factory is created once per
 * process and must be cheap to create: do the work in {@link #create}.
 *
 * <p>New capabilities arrive as {@code default} methods, so a factory built against an older SPI
 * keeps working.
 *
 * @since 0.2
 */
public interface DiskTransportFactory {
    /**
     * The stable name the operator types, lower case, e.g. {@code netcat}. Two transports with one
     * name are an error at start-up.
     *
     * @since 0.2
     */
    String name();

    /**
     * The modes this transport can migrate in; a migration in another mode is refused before
     * anything changes.
     *
     * @since 0.2
     */
    Set<MigrationMode> modes();

    /**
     * The kinds of volume this transport can move, e.g. only {@link StorageKind#LVM} for DRBD.
     *
     * @since 0.2
     */
    Set<StorageKind> storage();

    /**
     * The transport's version, shown by {@code igvm transports}: by default the {@code
     * Implementation-Version} of the jar the factory class comes from, or {@code unknown}.
     *
     * @since 0.2
     */
    default String version() {
        Package p = getClass().getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null || version.isBlank() ? "unknown" : version;
    }

    /**
     * A session for one migration. It may check the context (e.g. read and validate its {@link
     * TransportContext#config()}) but changes nothing on any host: that starts with {@link
     * TransportSession#prepare()}.
     *
     * @since 0.2
     */
    TransportSession create(TransportContext context);
}
