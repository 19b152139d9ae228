package org.igvm.domain.placement;

import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.HeldLock;

/** The hypervisor placement chose, locked for the caller (no lock for a plan), and the plan that led to it. */
public record ChosenHypervisor(ServerObject hypervisor, HeldLock lock, PlacementPlan plan) implements AutoCloseable {
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
    }
}
