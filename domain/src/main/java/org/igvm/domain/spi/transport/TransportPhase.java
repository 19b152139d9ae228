package org.igvm.domain.spi.transport;

/**
 * The phases of a {@link TransportSession}, in the order the migrate flow runs them; {@link
 * #ABORT} replaces the rest when a phase fails or the operation is cancelled.
 *
 * @since 0.2
 */
public enum TransportPhase {
    /**
     * {@link TransportSession#prepare()}.
     *
     * @since 0.2
     */
    PREPARE,
    /**
     * {@link TransportSession#transfer()}.
     *
     * @since 0.2
     */
    TRANSFER,
    /**
     * {@link TransportSession#switchOver()}.
     *
     * @since 0.2
     */
    SWITCH_OVER,
    /**
     * {@link TransportSession#finish()}.
     *
     * @since 0.2
     */
    FINISH,
    /**
     * {@link TransportSession#abort()}.
     *
     * @since 0.2
     */
    ABORT
}
