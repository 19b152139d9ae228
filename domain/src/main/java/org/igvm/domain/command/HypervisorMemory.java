package org.igvm.domain.command;

import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;

/**
 * Memory a hypervisor can still give (spec §4's free memory: its total minus the reserve for
 * itself minus every domain and each domain's overhead) and the hot-plug granularity (spec §6:
 * 128 MiB per NUMA node; from 63 GiB on, multiples of 2 GiB).
 */
record HypervisorMemory(long totalMiB, long reserveMiB, long domainsMiB, int domains, int numaNodes) {
    static final long LARGE_FROM_MIB = 63 * 1024;
    static final long LARGE_STEP_MIB = 2048;

    static HypervisorMemory of(HypervisorFacts facts, Iterable<DomainInfo> domains, HypervisorSettings settings) {
        long used = 0;
        int count = 0;
        for (DomainInfo d : domains) {
            used += d.memoryMiB() + settings.domainMemoryOverheadMiB();
            count++;
        }
        return new HypervisorMemory(
                facts.memoryMiB(),
                settings.hostMemoryReserveMiB(),
                used,
                count,
                Math.max(1, facts.numaNodes().size()));
    }

    long freeMiB() {
        return totalMiB - reserveMiB - domainsMiB;
    }

    /** The step a VM's memory of {@code memoryMiB} must be a multiple of. */
    long granularityMiB(long memoryMiB) {
        long perNodes = 128L * numaNodes;
        if (memoryMiB < LARGE_FROM_MIB) {
            return perNodes;
        }
        long a = perNodes;
        long b = LARGE_STEP_MIB;
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return perNodes / a * LARGE_STEP_MIB;
    }

    String explainFree() {
        return Math.max(0, freeMiB()) + " MiB free (" + totalMiB + " total − " + reserveMiB + " reserved − "
                + domainsMiB + " for " + domains + " domains with their overhead)";
    }
}
