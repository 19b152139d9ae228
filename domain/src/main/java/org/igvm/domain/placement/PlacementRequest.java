package org.igvm.domain.placement;

/**
 * A placement as {@code build}, {@code migrate}, {@code evacuate} and {@code placement} ask for it.
 *
 * @param targetQuery the operator's {@code HV_QUERY}; null or blank for none
 * @param offline the VM would move offline (no online-migration checks)
 */
public record PlacementRequest(
        String vm,
        String targetQuery,
        boolean offline,
        boolean ignoreReserved,
        boolean enforceVmEnvironment,
        boolean softPreferences) {}
