package org.igvm.domain.placement;

import java.util.Set;
import org.igvm.domain.inventory.ServerObject;

/**
 * What the hard checks check a hypervisor for: the VM, its current hypervisor (null when it has
 * none), whether it would move online, the hypervisor states allowed, and the VMs a batch planned
 * onto hypervisors before it (their memory and disk count as taken).
 */
public record HardCheckSubject(
        ServerObject vm, ServerObject currentHypervisor, boolean online, Set<String> states, PlannedMoves planned) {
    public HardCheckSubject {
        states = Set.copyOf(states);
        planned = planned == null ? PlannedMoves.none() : planned;
    }

    public HardCheckSubject(ServerObject vm, ServerObject currentHypervisor, boolean online, Set<String> states) {
        this(vm, currentHypervisor, online, states, null);
    }
}
