package org.example.igvm.zstdnc;

import java.util.List;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;

/**
 * The plugin's entry point, named in {@code META-INF/services/org.igvm.domain.spi.plugin.IgvmPlugin}:
 * a public no-argument constructor that does no work, and the transports it offers.
 */
public final class ZstdNcPlugin implements IgvmPlugin {
    @Override
    public Iterable<DiskTransportFactory> diskTransports() {
        return List.of(new ZstdNcTransportFactory());
    }
}
