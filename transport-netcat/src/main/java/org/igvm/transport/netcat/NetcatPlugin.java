package org.igvm.transport.netcat;

import java.util.List;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;

/** The plugin that offers igvm's built-in {@code netcat} transport, found by {@code ServiceLoader}. */
public final class NetcatPlugin implements IgvmPlugin {
    /** Does no work, as {@link IgvmPlugin} asks. */
    public NetcatPlugin() {}

    @Override
    public Iterable<DiskTransportFactory> diskTransports() {
        return List.of(new NetcatTransportFactory());
    }
}
