package org.igvm.api;

import java.util.List;

/** What {@code sync} copied from the hypervisor into the inventory; empty when all agreed. */
public record SyncReport(String hostname, List<AttributeDifference> changes) {
    public SyncReport {
        changes = List.copyOf(changes);
    }

    public boolean changedAnything() {
        return !changes.isEmpty();
    }
}
