package org.igvm.api;

import java.util.List;

/**
 * Runtime facts of a VM. Values read from inside the guest ({@code memoryFreeMiB},
 * {@code diskFreeGiB}, {@code load}) are null when the VM is not running or could not be asked.
 */
public record VmInfo(
        String hostname,
        long objectId,
        String hypervisor,
        VmStatus status,
        String internIp,
        List<String> macs,
        int numCpu,
        long memoryMiB,
        Long memoryFreeMiB,
        long diskGiB,
        Long diskFreeGiB,
        Double load) {
    public VmInfo {
        macs = List.copyOf(macs);
    }
}
