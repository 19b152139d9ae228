package org.igvm.transport.netcat;

import java.util.EnumSet;
import java.util.Set;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;

/**
 * The {@code netcat} transport: offline only, for file and LVM volumes. With the VM off, each volume
 * is sent from the source hypervisor to a listener on the target over {@code nc}; the copy is
 * verified by checksums computed in-stream on both sides, skips holes and all-zero blocks on the
 * wire (the target stays sparse), and keeps to {@code --bwlimit}.
 *
 * <p><b>Requirements on both hypervisors:</b> {@code python3} (3.6 or later; Debian has it) and
 * {@code nc} from netcat-openbsd ({@code -N}, {@code -l -p}). igvm copies its copy program ({@code
 * igvm-netcat.py}, shipped in this jar) into a private temporary directory on each hypervisor and
 * removes it when the session ends.
 *
 * <p>The listen port is {@code port_base} (7000) plus the target volume's device minor when it is a
 * block device, otherwise the first free port from {@code port_base}; a port that another igvm
 * holds or anything listens on is skipped. The settings of {@code transports.netcat:} are described
 * by {@link NetcatSettings}.
 */
public final class NetcatTransportFactory implements DiskTransportFactory {
    /** The name {@code --disk-transport} takes. */
    public static final String NAME = "netcat";

    /** Cheap, as {@link DiskTransportFactory} asks. */
    public NetcatTransportFactory() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<MigrationMode> modes() {
        return EnumSet.of(MigrationMode.OFFLINE);
    }

    /** Files and block devices both work: the copy program reads and writes them by offset. */
    @Override
    public Set<StorageKind> storage() {
        return EnumSet.of(StorageKind.FILE, StorageKind.LVM);
    }

    /** Reads and checks {@code transports.netcat:}; changes nothing on any host. */
    @Override
    public TransportSession create(TransportContext context) {
        return new NetcatTransportSession(context, NetcatSettings.from(context.config()));
    }
}
