package org.igvm.transport.drbd;

import java.util.List;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;

/** igvm's own plugin for the {@code drbd} transport, found by {@link java.util.ServiceLoader}. */
public final class DrbdPlugin implements IgvmPlugin {
    /** Does no work, as {@link IgvmPlugin} asks. */
    public DrbdPlugin() {}

    @Override
    public Iterable<DiskTransportFactory> diskTransports() {
        return List.of(new DrbdTransportFactory());
    }
}
