package org.igvm.domain.inventory;

/**
 * What the VMs of one state on one hypervisor add up to ({@link InventoryPort#hypervisorLoads}):
 * how many VMs ({@code servertype=vm}) name the hypervisor in their {@code hypervisor} attribute
 * and are in this state, and the sums of their {@code num_cpu}, {@code memory} (MiB) and {@code
 * disk_size_gib} (a missing value counts 0).
 *
 * @param state the VMs' state, null for VMs without one
 */
public record HypervisorLoad(String hypervisor, String state, long vms, long numCpu, long memory, long diskSizeGib) {}
