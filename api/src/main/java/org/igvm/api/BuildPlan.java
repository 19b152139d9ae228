package org.igvm.api;

import java.util.List;

/**
 * What {@link Igvm#build} does or would do ({@link BuildRequest#dryRun()}).
 *
 * @param vm the VM's full hostname
 * @param hypervisor the hypervisor it is built on: the inventory's, or placement's choice
 * @param reasons why that hypervisor (the inventory names it, or placement's ranking and checks)
 * @param imageUrl the image downloaded on the hypervisor; null for a barebones build
 * @param steps the build's steps in order, as {@link BuildProgress#step} names them
 * @since 0.4
 */
public record BuildPlan(String vm, String hypervisor, List<String> reasons, String imageUrl, List<String> steps) {
    /**
     * Copies the lists.
     *
     * @since 0.4
     */
    public BuildPlan {
        reasons = List.copyOf(reasons);
        steps = List.copyOf(steps);
    }
}
