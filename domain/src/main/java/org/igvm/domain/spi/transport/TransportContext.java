package org.igvm.domain.spi.transport;

import java.util.List;
import java.util.OptionalLong;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;

/**
 * Everything one migration offers its transport. igvm implements it; a transport only calls it.
 * It grows only by {@code default} methods, so a plugin built against an older SPI keeps working,
 * and a test of a plugin can implement it with fakes.
 *
 * <p>The shells and the hypervisor port belong to the migration: a transport uses them, never
 * closes them, and never keeps them past its session's {@link TransportSession#close()}.
 *
 * @since 0.2
 */
public interface TransportContext {
    /**
     * The hostname of the hypervisor the VM leaves.
     *
     * @since 0.2
     */
    String sourceHypervisor();

    /**
     * The hostname of the hypervisor the VM moves to.
     *
     * @since 0.2
     */
    String targetHypervisor();

    /**
     * A shell on the source hypervisor (root, or a login with {@code sudo}).
     *
     * @since 0.2
     */
    HostShell sourceShell();

    /**
     * A shell on the target hypervisor.
     *
     * @since 0.2
     */
    HostShell targetShell();

    /**
     * libvirt on both hypervisors, named by their hostnames.
     *
     * @since 0.2
     */
    HypervisorPort hypervisors();

    /**
     * The VM being migrated.
     *
     * @since 0.2
     */
    TransportVm vm();

    /**
     * The VM's volumes, with the target volumes already created.
     *
     * @since 0.2
     */
    List<TransportVolume> volumes();

    /**
     * The mode of this migration, one of the factory's {@link DiskTransportFactory#modes()}.
     *
     * @since 0.2
     */
    MigrationMode mode();

    /**
     * This transport's section of the config file ({@code transports.<name>:}); empty when the file
     * has none.
     *
     * @since 0.2
     */
    TransportConfig config();

    /**
     * Where to report progress.
     *
     * @since 0.2
     */
    TransportProgress progress();

    /**
     * The operation's cancellation signal (Ctrl-C, an embedding application's cancel). A session
     * checks it between its steps; blocking waits end by interruption.
     *
     * @since 0.2
     */
    Cancellation cancellation();

    /**
     * The migration's transaction, for the transport's lasting changes.
     *
     * @since 0.2
     */
    UndoRegistry undo();

    /**
     * The operator's bandwidth cap for the copy ({@code --bwlimit}), in bytes per second; empty
     * when uncapped.
     *
     * @since 0.2
     */
    default OptionalLong bandwidthLimit() {
        return OptionalLong.empty();
    }

    /**
     * Whether the copy is to be verified before the source is touched ({@code false} with {@code
     * --no-verify}). A transport that cannot verify ignores it.
     *
     * @since 0.2
     */
    default boolean verify() {
        return true;
    }
}
