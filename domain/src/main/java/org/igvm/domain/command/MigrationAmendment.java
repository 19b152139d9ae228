package org.igvm.domain.command;

import java.util.Map;
import java.util.Objects;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * What an operation changes along with a migration it runs inside its own transaction
 * ({@code change-address --migrate}): the VM as placement sees it and the target defines it, work
 * on the target's copy of the disk before the domain is defined there, and the inventory updates
 * committed together with the move.
 *
 * @param vmOnTarget the VM with the operation's changes applied
 * @param targetDisk runs on the target's stopped copy of the disk once the transport has finished
 * @param updates attribute updates of the VM, committed with {@code hypervisor}
 */
record MigrationAmendment(ServerObject vmOnTarget, TargetDiskWork targetDisk, Map<String, AttributeUpdate> updates) {
    MigrationAmendment {
        Objects.requireNonNull(vmOnTarget, "vmOnTarget");
        Objects.requireNonNull(targetDisk, "targetDisk");
        updates = Map.copyOf(updates);
    }

    /** Work on the migrated disk on the target hypervisor, before its domain is defined there. */
    @FunctionalInterface
    interface TargetDiskWork {
        void apply(String hypervisor, VolumeInfo volume);
    }
}
