package org.igvm.transport.drbd;

import java.util.EnumSet;
import java.util.Set;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;

/**
 * The {@code drbd} transport: offline and online, LVM volumes only. The running VM's volume is
 * replicated to the target with DRBD while the VM runs (its device-mapper table swapped onto the
 * DRBD device), so an offline migration only stops the VM for the shutdown and the start, and an
 * online one moves only the memory.
 *
 * <p><b>Requirements on both hypervisors:</b> DRBD 8.4 (the kernel module and {@code drbd-utils},
 * whose 9.x {@code drbdadm} hands off to its 8.4 userland), LVM, {@code dmsetup}, a resource
 * directory ({@code /etc/drbd.d}) that {@code /etc/drbd.conf} includes, and each hypervisor's name
 * resolving on the other. Ports: {@code port_base} (8000) plus each side's volume minor, open
 * between the hypervisors. The settings of {@code transports.drbd:} are described by {@link
 * DrbdSettings}.
 */
public final class DrbdTransportFactory implements DiskTransportFactory {
    /** The name {@code --disk-transport} takes. */
    public static final String NAME = "drbd";

    /** Cheap, as {@link DiskTransportFactory} asks. */
    public DrbdTransportFactory() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<MigrationMode> modes() {
        return EnumSet.of(MigrationMode.OFFLINE, MigrationMode.ONLINE);
    }

    @Override
    public Set<StorageKind> storage() {
        return EnumSet.of(StorageKind.LVM);
    }

    /** Reads and checks {@code transports.drbd:}; changes nothing on any host. */
    @Override
    public TransportSession create(TransportContext context) {
        return new DrbdSession(context, DrbdSettings.from(context.config()));
    }
}
