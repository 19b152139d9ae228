package org.igvm.api;

import java.util.List;

/**
 * What a migration would do, decided without changing anything ({@code igvm migrate --dry-run}).
 *
 * @param vm the VM's full hostname
 * @param source its hypervisor now
 * @param target the hypervisor placement picks
 * @param reasons why that one: placement's filter or pin, its rank and score, and why better-ranked
 *     or other hypervisors were left out
 * @param transport the disk transport's name
 * @param mode {@code online} or {@code offline}
 * @param bytesToMove the size of the VM's volumes
 * @param expectedDowntime what the VM's downtime will be, in words
 */
public record MigrationPlan(
        String vm,
        String source,
        String target,
        List<String> reasons,
        String transport,
        String mode,
        long bytesToMove,
        String expectedDowntime) {
    public MigrationPlan {
        reasons = List.copyOf(reasons);
    }
}
