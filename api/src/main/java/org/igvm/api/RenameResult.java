package org.igvm.api;

import java.util.List;

/**
 * What {@link Igvm#rename} did.
 *
 * @param oldHostname the VM's hostname before
 * @param newHostname its hostname now (in the inventory and in the guest)
 * @param hypervisor the hypervisor it is on
 * @param domain its domain's name now ({@code <object_id>_<new hostname>})
 * @param volume its volume's name now ({@code <object_id>_<new hostname>})
 * @param how {@code offline} (shut down, renamed, started again) or {@code stopped} (the VM was off
 *     and stays off)
 * @param warnings what the operator should still do, e.g. clean the old name's certificate when
 *     the CA could not be reached after the rename
 * @since 0.4
 */
public record RenameResult(
        String oldHostname,
        String newHostname,
        String hypervisor,
        String domain,
        String volume,
        String how,
        List<String> warnings) {
    public RenameResult {
        warnings = List.copyOf(warnings);
    }
}
