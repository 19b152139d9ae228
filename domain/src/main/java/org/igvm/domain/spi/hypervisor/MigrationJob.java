package org.igvm.domain.spi.hypervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * libvirt's statistics of a domain's job (for igvm: a live migration), as {@link
 * HypervisorPort#migrationJob} and {@link HypervisorPort#completedMigrationJob} read them. Sizes
 * are bytes; a figure libvirt does not report is {@code -1}.
 *
 * @param type whether a job runs, and how the last one ended
 * @param elapsed how long the job has run (or ran)
 * @param dataTotal bytes to move in all (memory and disks)
 * @param dataProcessed bytes moved so far
 * @param dataRemaining bytes still to move
 * @param memTotal the guest memory to move
 * @param memProcessed memory moved so far (pages sent again count again)
 * @param memRemaining memory still to move
 * @param memBps the current memory rate, bytes per second
 * @param diskTotal the disk data to copy
 * @param diskProcessed disk data copied so far
 * @param diskRemaining disk data still to copy
 * @param diskBps the current disk rate, bytes per second
 * @param downtimeMillis how long the guest was paused for the switch-over, in milliseconds
 *     (libvirt's {@code downtime}, known once the migration has completed; {@code -1} before)
 * @since 0.2
 */
public record MigrationJob(
        Type type,
        Duration elapsed,
        long dataTotal,
        long dataProcessed,
        long dataRemaining,
        long memTotal,
        long memProcessed,
        long memRemaining,
        long memBps,
        long diskTotal,
        long diskProcessed,
        long diskRemaining,
        long diskBps,
        long downtimeMillis) {
    /**
     * libvirt's job types ({@code virDomainJobType}).
     *
     * @since 0.2
     */
    public enum Type {
        /** No job runs. */
        NONE,
        /** A job with a known end runs. */
        BOUNDED,
        /** A job with an unknown end runs (a migration is one). */
        UNBOUNDED,
        /** The job completed (from the completed job's statistics). */
        COMPLETED,
        /** The job failed. */
        FAILED,
        /** The job was aborted. */
        CANCELLED
    }

    /**
     * No job.
     *
     * @since 0.2
     */
    public static MigrationJob none() {
        return new MigrationJob(Type.NONE, Duration.ZERO, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    }

    /**
     * Whether a job runs now.
     *
     * @since 0.2
     */
    public boolean active() {
        return type == Type.BOUNDED || type == Type.UNBOUNDED;
    }

    /**
     * The measured switch-over pause, when libvirt reported it.
     *
     * @since 0.2
     */
    public Optional<Duration> downtime() {
        return downtimeMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(downtimeMillis));
    }
}
