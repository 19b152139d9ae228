package org.igvm.api;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Igvm#migrate} did.
 *
 * @param vm the VM's full hostname
 * @param source the hypervisor it left
 * @param target the hypervisor it is on now
 * @param mode {@code online} or {@code offline}
 * @param transport the disk transport's name
 * @param bytes the disk data the transport reported as moved
 * @param duration how long the migration took, from its start to the commit
 * @param downtime how long the VM was off or paused: the transport's measurement, else (offline)
 *     from its shutdown to its start on the target; null when it was not running
 * @param warnings what could not be cleaned up on the source after the commit, each with the
 *     command that does it by hand
 * @param plan the plan it followed; for a {@link MigrateRequest#dryRun() dry run} the only thing
 *     that is meaningful (nothing was moved)
 * @param dryRun nothing was changed
 */
public record MigrationResult(
        String vm,
        String source,
        String target,
        String mode,
        String transport,
        long bytes,
        Duration duration,
        Duration downtime,
        List<String> warnings,
        MigrationPlan plan,
        boolean dryRun) {
    public MigrationResult {
        warnings = List.copyOf(warnings);
    }
}
