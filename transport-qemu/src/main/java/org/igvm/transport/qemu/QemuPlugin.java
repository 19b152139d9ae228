package org.igvm.transport.qemu;

import java.util.List;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;

/** igvm's built-in qemu transport, found by {@link java.util.ServiceLoader} like any plugin. */
public final class QemuPlugin implements IgvmPlugin {
    @Override
    public Iterable<DiskTransportFactory> diskTransports() {
        return List.of(new QemuTransportFactory());
    }
}
