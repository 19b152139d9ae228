package org.igvm.api;

import java.time.Duration;

/**
 * What became of one VM of an evacuation.
 *
 * @param target where it went, or was planned to go
 * @param time how long its migration took; zero when it did not start
 * @param downtime as {@link MigrationResult#downtime()}; null when not measured or not moved
 * @param error the operator-facing reason it did not move; null when it moved
 */
public record VmEvacuation(
        String vm,
        String target,
        String mode,
        String transport,
        Outcome outcome,
        Duration time,
        Duration downtime,
        String error) {
    /** How a VM's part of the evacuation ended. */
    public enum Outcome {
        /** It runs (or is defined) on its target; the inventory says so. */
        MOVED,
        /** Its migration failed and rolled back: it is on the evacuated hypervisor as before. */
        FAILED,
        /** Its migration was cancelled and rolled back. */
        CANCELLED,
        /** Its migration never started (cancelled before, or no room). */
        NOT_STARTED
    }

    public boolean moved() {
        return outcome == Outcome.MOVED;
    }
}
