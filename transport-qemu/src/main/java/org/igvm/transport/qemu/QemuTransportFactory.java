package org.igvm.transport.qemu;

import java.util.Set;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;

/**
 * {@code --disk-transport qemu}: libvirt's own live migration with a non-shared disk copy (spec §3
 * migrate). Online only; file and LVM volumes alike, since QEMU copies the disk through its NBD
 * mirror whatever lies behind the path. Its config section is {@code transports.qemu:}, see
 * {@link QemuSettings}.
 */
public final class QemuTransportFactory implements DiskTransportFactory {
    /** The name the operator types. */
    public static final String NAME = "qemu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<MigrationMode> modes() {
        return Set.of(MigrationMode.ONLINE);
    }

    @Override
    public Set<StorageKind> storage() {
        return Set.of(StorageKind.FILE, StorageKind.LVM);
    }

    /** Reads and checks the config section (an unknown key is an error); changes nothing. */
    @Override
    public TransportSession create(TransportContext context) {
        return new QemuSession(context, QemuSettings.read(context.config()));
    }
}
