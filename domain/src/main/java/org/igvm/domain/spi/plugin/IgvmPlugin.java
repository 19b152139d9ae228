package org.igvm.domain.spi.plugin;

import java.util.List;
import org.igvm.domain.spi.transport.DiskTransportFactory;

/**
 * The entry point of an igvm plugin, found with {@link java.util.ServiceLoader}: a plugin jar
 * names its implementation in {@code META-INF/services/org.igvm.domain.spi.plugin.IgvmPlugin}. It
 * needs a public no-argument constructor that does no work.
 *
 * <p>Every kind of extension is a {@code default} method returning factories, so a new kind added
 * to a later SPI does not break an older plugin, and a plugin implements only the kinds it offers.
 *
 * <p>A plugin jar (or a folder of jars) dropped into a plugin directory gets its own class loader
 * that sees the JDK, {@code org.igvm.api}, {@code org.igvm.domain.spi} and {@code org.slf4j}, and
 * otherwise only the plugin's own jars: not the rest of igvm nor its libraries.
 *
 * @since 0.2
 */
public interface IgvmPlugin {
    /**
     * The disk transports this plugin offers.
     *
     * @since 0.2
     */
    default Iterable<DiskTransportFactory> diskTransports() {
        return List.of();
    }
}
