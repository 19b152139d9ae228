package org.igvm.api;

import java.util.List;

/**
 * What a change of a VM's resources or address did.
 *
 * @param vm the VM's full hostname
 * @param attribute the inventory attribute changed: {@code num_cpu}, {@code memory} (MiB), {@code
 *     disk_size_gib}, {@code intern_ip}
 * @param before its value before
 * @param after its value now (equal to {@code before} when nothing changed)
 * @param how {@code live}, {@code offline} (shut down, changed, started again), {@code stopped}
 *     (the VM was off and stays off), {@code unchanged}, or for an address that took a migration
 *     {@code offline, migrated from HV to HV with TRANSPORT}
 * @param warnings what the operator should know, e.g. that the value was already set
 * @since 0.3
 */
public record ChangeResult(
        String vm, String attribute, String before, String after, String how, List<String> warnings) {
    public ChangeResult {
        warnings = List.copyOf(warnings);
    }

    public boolean changed() {
        return !"unchanged".equals(how);
    }
}
