package org.igvm.api;

import java.util.List;

/**
 * What an evacuation will do, decided up front: each VM's migration plan (target and why, mode,
 * transport, bytes), where placement accounted for the VMs planned before it, and the VMs that have
 * no room anywhere.
 *
 * @param hypervisor the hypervisor being emptied
 * @param stateBefore its state before the evacuation
 * @param moves the migrations, in the order they start
 * @param unplaced the VMs no hypervisor can take
 * @param notInInventory domains on the hypervisor that the inventory does not place there (left alone)
 */
public record EvacuationPlan(
        String hypervisor,
        String stateBefore,
        List<MigrationPlan> moves,
        List<UnplacedVm> unplaced,
        List<String> notInInventory) {
    public EvacuationPlan {
        moves = List.copyOf(moves);
        unplaced = List.copyOf(unplaced);
        notInInventory = List.copyOf(notInInventory);
    }
}
