package org.igvm.domain.placement;

import java.util.Set;
import org.igvm.domain.inventory.ServerObject;

/**
 * What the hard checks check a hypervisor for: the VM, its current hypervisor (null when it has
 * none), whether it would move online, and the hypervisor states allowed.
 */
public record HardCheckSubject(ServerObject vm, ServerObject currentHypervisor, boolean online, Set<String> states) {
    public HardCheckSubject {
        states = Set.copyOf(states);
    }
}
