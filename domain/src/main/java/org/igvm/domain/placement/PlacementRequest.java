package org.igvm.domain.placement;

import org.igvm.domain.inventory.ServerObject;

/**
 * A placement as {@code build}, {@code migrate}, {@code evacuate} and {@code placement} ask for it.
 *
 * @param targetQuery the operator's {@code HV_QUERY}; null or blank for none
 * @param offline the VM would move offline (no online-migration checks)
 * @param placedVm the VM as it will be where it is placed, when an operation changes it with the
 *     move (change-address --migrate: its new network); null for the VM as the inventory has it
 * @param planned the moves a batch planned before this VM, counted on their targets (evacuate)
 */
public record PlacementRequest(
        String vm,
        String targetQuery,
        boolean offline,
        boolean ignoreReserved,
        boolean enforceVmEnvironment,
        boolean softPreferences,
        ServerObject placedVm,
        PlannedMoves planned) {
    public PlacementRequest {
        planned = planned == null ? PlannedMoves.none() : planned;
    }

    public PlacementRequest(
            String vm,
            String targetQuery,
            boolean offline,
            boolean ignoreReserved,
            boolean enforceVmEnvironment,
            boolean softPreferences,
            ServerObject placedVm) {
        this(vm, targetQuery, offline, ignoreReserved, enforceVmEnvironment, softPreferences, placedVm, null);
    }

    public PlacementRequest(
            String vm,
            String targetQuery,
            boolean offline,
            boolean ignoreReserved,
            boolean enforceVmEnvironment,
            boolean softPreferences) {
        this(vm, targetQuery, offline, ignoreReserved, enforceVmEnvironment, softPreferences, null);
    }
}
