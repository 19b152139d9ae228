package org.igvm.api;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Igvm#build} did.
 *
 * @param vm the VM's full hostname
 * @param hypervisor the hypervisor it runs on now
 * @param sshfp the SSHFP records of its new host keys, as stored in the inventory's {@code sshfp}
 *     ({@code "ALGORITHM TYPE HEX"}, RFC 4255/6594); empty for a barebones build
 * @param steps each step done, in order, with how long it took
 * @param plan the plan it followed; for a {@link BuildRequest#dryRun() dry run} the only thing
 *     that is meaningful
 * @param dryRun nothing was changed
 * @since 0.4
 */
public record BuildResult(
        String vm, String hypervisor, List<String> sshfp, List<StepTiming> steps, BuildPlan plan, boolean dryRun) {
    /**
     * Copies the lists.
     *
     * @since 0.4
     */
    public BuildResult {
        sshfp = List.copyOf(sshfp);
        steps = List.copyOf(steps);
    }

    /**
     * One step of the build and how long it took.
     *
     * @since 0.4
     */
    public record StepTiming(String step, Duration took) {}
}
