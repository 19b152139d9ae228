package org.igvm.api;

import java.time.Duration;

/**
 * What became of one VM of an evacuation.
 *
 * @param target where it went, or was planned to go
 * @param time how long its migration took; zero when it did not start
 * @param downtime as {@link MigrationResult#downtime()}; null when not measured or not moved
 * @param error the operator-facing reason it did not move; null when it moved
 * @param warnings what a move that stands left to do by hand (as {@link MigrationResult#warnings()})
 */
public record VmEvacuation(
        String vm,
        String target,
        String mode,
        String transport,
        Outcome outcome,
        Duration time,
        Duration downtime,
        String error,
        java.util.List<String> warnings) {
    public VmEvacuation {
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    /** An outcome without warnings. */
    public VmEvacuation(
            String vm,
            String target,
            String mode,
            String transport,
            Outcome outcome,
            Duration time,
            Duration downtime,
            String error) {
        this(vm, target, mode, transport, outcome, time, downtime, error, null);
    }

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
