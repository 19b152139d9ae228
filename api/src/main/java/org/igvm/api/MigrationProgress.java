package org.igvm.api;

import java.time.Duration;

/**
 * Where {@link Igvm#migrate} reports how a migration goes; the CLI prints it, an embedding
 * application may show it. Every method may be called from any thread, as often as once a second;
 * none may block. All have empty defaults, so a listener implements only what it shows.
 */
public interface MigrationProgress {
    /**
     * The migration has entered a phase of its flow, e.g. {@code prepare}, {@code transfer}, {@code
     * shutdown}, {@code switch-over}, {@code finish}, {@code define}, {@code start}, {@code commit},
     * {@code cleanup}.
     */
    default void phase(String phase) {}

    /** A step within the current phase, in words. */
    default void step(String description) {}

    /**
     * Disk data moved so far.
     *
     * @param total bytes to move in all, or {@code -1} when unknown
     * @param bytesPerSecond the current rate, or {@code -1} when unknown
     */
    default void bytes(long done, long total, long bytesPerSecond) {}

    /** Memory moved so far by a live migration, 0 to 100 percent. */
    default void memory(double percent, long bytesPerSecond) {}

    /** How long the VM was paused or off during the switch-over, as measured by the transport. */
    default void downtime(Duration measured) {}

    /** A listener that drops everything. */
    static MigrationProgress none() {
        return new MigrationProgress() {};
    }
}
