package org.igvm.domain.transport;

import java.util.Set;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * The service a transport jar provides (found with {@link java.util.ServiceLoader}); its {@link
 * #name()} is what {@code --disk-transport} takes. New capabilities arrive as default methods, so
 * older plugins keep working.
 */
public interface DiskTransportFactory {
    /** The stable name, e.g. {@code netcat}. */
    String name();

    /** The modes this transport can do. */
    Set<MigrationMode> supportedModes();

    /** A transport for one migration, running its commands through the given shells. */
    DiskTransport create(HostShellPort shells);

    /** Among transports of the same name, the highest priority wins. @since 0.1 */
    default int priority() {
        return 0;
    }
}
