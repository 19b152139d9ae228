package org.igvm.domain.command;

import java.util.ArrayList;
import java.util.List;
import org.igvm.api.AttributeDifference;
import org.igvm.api.OutOfSyncException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/** Compares the inventory's num_cpu, memory and disk_size_gib with what the hypervisor has. */
final class ResourceAgreement {
    private ResourceAgreement() {}

    static List<AttributeDifference> differences(ServerObject vm, DomainInfo domain, VolumeInfo volume) {
        List<AttributeDifference> out = new ArrayList<>();
        compare(out, "num_cpu", vm.integer("num_cpu"), domain.vcpus());
        compare(out, "memory", vm.integer("memory"), domain.memoryMiB());
        if (volume != null) {
            compare(out, "disk_size_gib", vm.integer("disk_size_gib"), volume.capacityGiB());
        }
        return out;
    }

    /** Fails with "out of sync: X (inventory) != Y (actual)" when they disagree. */
    static void require(ServerObject vm, DomainInfo domain, VolumeInfo volume) {
        List<AttributeDifference> diffs = differences(vm, domain, volume);
        if (!diffs.isEmpty()) {
            AttributeDifference d = diffs.get(0);
            throw new OutOfSyncException(vm.hostname() + " is out of sync: " + d.attribute() + " " + d.inventoryValue()
                    + " (inventory) != " + d.hypervisorValue() + " (actual)"
                    + (diffs.size() > 1 ? " and " + (diffs.size() - 1) + " more" : "")
                    + "; run " + SuggestedCommand.igvm("sync", vm.hostname()) + " to take the actual values");
        }
    }

    private static void compare(List<AttributeDifference> out, String attribute, Long inventory, long actual) {
        if (inventory == null || inventory != actual) {
            out.add(new AttributeDifference(attribute, String.valueOf(inventory), String.valueOf(actual)));
        }
    }
}
