package org.igvm.domain.spi.transport;

/**
 * Whether the VM keeps running while it moves.
 *
 * @since 0.2
 */
public enum MigrationMode {
    /**
     * The VM keeps running; after {@link TransportSession#switchOver()} it runs on the target.
     *
     * @since 0.2
     */
    ONLINE,
    /**
     * The VM is shut down for the switch-over and started on the target afterwards.
     *
     * @since 0.2
     */
    OFFLINE
}
