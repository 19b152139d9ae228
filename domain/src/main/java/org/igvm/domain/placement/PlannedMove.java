package org.igvm.domain.placement;

import org.igvm.domain.inventory.ServerObject;

/** A VM that a batch (an evacuation) has planned to move from its hypervisor to {@code target}, not yet moved. */
public record PlannedMove(ServerObject vm, ServerObject source, String target) {}
