package org.example.igvm.zstdnc;

import java.util.Set;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;

/**
 * {@code zstd-nc}: an offline disk transport that streams each volume compressed with zstd over a
 * plain TCP connection ({@code dd | zstd | nc} into {@code nc -l | zstd -d | dd conv=sparse}),
 * checksumming the stream in-line on both sides. Zero regions compress to almost nothing on the wire
 * and are not written on the target, so sparse files stay sparse. Files only: {@code conv=sparse}
 * relies on the freshly created target volume reading as zeros, which an LVM volume does not promise.
 */
public final class ZstdNcTransportFactory implements DiskTransportFactory {
    /** The name the operator types: {@code igvm migrate VM --offline --disk-transport zstd-nc}. */
    public static final String NAME = "zstd-nc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<MigrationMode> modes() {
        return Set.of(MigrationMode.OFFLINE);
    }

    @Override
    public Set<StorageKind> storage() {
        return Set.of(StorageKind.FILE);
    }

    @Override
    public TransportSession create(TransportContext context) {
        // Reads and validates the config section; touches no host (that starts with prepare()).
        ZstdNcSettings settings = ZstdNcSettings.read(context.config());
        if (context.mode() != MigrationMode.OFFLINE) {
            throw new InvalidInputException(NAME + " migrates offline only");
        }
        return new ZstdNcSession(context, settings);
    }
}
