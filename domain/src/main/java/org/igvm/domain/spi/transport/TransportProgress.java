package org.igvm.domain.spi.transport;

/**
 * Where a transport reports its progress; the CLI prints it, an embedding application may show
 * it. Every method may be called from any thread, as often as once a second; none blocks.
 *
 * @since 0.2
 */
public interface TransportProgress {
    /**
     * The session has entered a phase. The migrate flow calls this before each phase; a transport
     * need not.
     *
     * @since 0.2
     */
    default void phase(TransportPhase phase) {}

    /**
     * A step within the current phase, in words, e.g. {@code "waiting for the DRBD resource to
     * sync"}.
     *
     * @since 0.2
     */
    default void step(String description) {}

    /**
     * Disk data moved so far.
     *
     * @param done bytes moved (or in sync) so far
     * @param total bytes to move in all, or {@code -1} when unknown
     * @param bytesPerSecond the current rate, or {@code -1} when unknown
     * @since 0.2
     */
    void bytes(long done, long total, long bytesPerSecond);

    /**
     * Memory moved so far by a live migration.
     *
     * @param percent how much of the VM's memory has been copied, 0 to 100
     * @param bytesPerSecond the current rate, or {@code -1} when unknown
     * @since 0.2
     */
    default void memory(double percent, long bytesPerSecond) {}

    /**
     * How long the VM was paused or off during the switch-over, as measured by the transport
     * (libvirt's job statistics for a live migration); reported once, at the end.
     *
     * @since 0.2
     */
    default void downtime(java.time.Duration measured) {}

    /**
     * A sink that drops everything.
     *
     * @since 0.2
     */
    static TransportProgress none() {
        return (done, total, bytesPerSecond) -> {};
    }
}
