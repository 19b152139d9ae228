package org.igvm.domain.placement;

import java.util.List;

/**
 * A hypervisor as placement scores it: the inventory attributes the preferences read, its VMs,
 * their sums ({@link VmTotals}: computed once here) and their grouping values as numbers ({@link
 * VmGroups}). Numbers are kept as primitives in this one object, so that scoring ten thousand
 * candidates does not chase boxed values; a missing metric is {@link #UNKNOWN} and counts as a
 * fresh hypervisor.
 */
public final class PlacementCandidate {
    /** The value of a number the inventory does not have. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final String hostname;
    private final long objectId;
    private final String state;
    private final String os;
    private final String environment;
    private final String hardwareModel;
    private final int numCpu;
    private final long cpuUtilPct;
    private final long iopsAvg;
    private final long cpuPerffactor;
    private final double perfFactor;
    private final long memoryTotalGiB;
    private final long poolTotalGiB;
    private final double migrationLogPct;
    private final List<PlacementVm> vms;
    private final long vmDiskGiB;
    private final long vmMemoryMiB;
    private final long vmNumCpu;
    private final VmGroups groups;

    private PlacementCandidate(
            String hostname,
            long objectId,
            String state,
            String os,
            String environment,
            String hardwareModel,
            int numCpu,
            Long cpuUtilPct,
            Long iopsAvg,
            Long cpuPerffactor,
            Long memoryTotalGiB,
            Long poolTotalGiB,
            double migrationLogPct,
            List<PlacementVm> vms,
            GroupingAttributes grouping) {
        this.hostname = hostname;
        this.objectId = objectId;
        this.state = state;
        this.os = os;
        this.environment = environment;
        this.hardwareModel = hardwareModel;
        this.numCpu = numCpu;
        this.cpuUtilPct = orUnknown(cpuUtilPct);
        this.iopsAvg = orUnknown(iopsAvg);
        this.cpuPerffactor = orUnknown(cpuPerffactor);
        this.perfFactor = this.cpuPerffactor == UNKNOWN || this.cpuPerffactor == 0 ? 1.0 : this.cpuPerffactor / 1000.0;
        this.memoryTotalGiB = orUnknown(memoryTotalGiB);
        this.poolTotalGiB = orUnknown(poolTotalGiB);
        this.migrationLogPct = migrationLogPct;
        this.vms = List.copyOf(vms);
        VmTotals totals = VmTotals.of(this.vms);
        this.vmDiskGiB = totals.diskGiB();
        this.vmMemoryMiB = totals.memoryMiB();
        this.vmNumCpu = totals.numCpu();
        this.groups = new VmGroups(grouping, grouping.idsOf(this.vms));
    }

    /**
     * A candidate; null numbers are unknown. {@code grouping} must be the instance the subject
     * uses.
     *
     * @param numCpu the hypervisor's cores, 0 when unknown
     * @param migrationLogPct sum of the signed CPU shares in its unexpired migration log
     */
    public static PlacementCandidate of(
            String hostname,
            long objectId,
            String state,
            String os,
            String environment,
            String hardwareModel,
            int numCpu,
            Long cpuUtilPct,
            Long iopsAvg,
            Long cpuPerffactor,
            Long memoryTotalGiB,
            Long poolTotalGiB,
            double migrationLogPct,
            List<PlacementVm> vms,
            GroupingAttributes grouping) {
        return new PlacementCandidate(
                hostname,
                objectId,
                state,
                os,
                environment,
                hardwareModel,
                numCpu,
                cpuUtilPct,
                iopsAvg,
                cpuPerffactor,
                memoryTotalGiB,
                poolTotalGiB,
                migrationLogPct,
                vms,
                grouping);
    }

    private static long orUnknown(Long value) {
        return value == null ? UNKNOWN : value;
    }

    public String hostname() {
        return hostname;
    }

    public long objectId() {
        return objectId;
    }

    public String state() {
        return state;
    }

    public String os() {
        return os;
    }

    public String environment() {
        return environment;
    }

    public String hardwareModel() {
        return hardwareModel;
    }

    /** Cores; 0 when unknown. */
    public int numCpu() {
        return numCpu;
    }

    public long cpuUtilPct() {
        return cpuUtilPct;
    }

    public long iopsAvg() {
        return iopsAvg;
    }

    public long cpuPerffactor() {
        return cpuPerffactor;
    }

    /** {@code cpu_perffactor} as a factor (1.0 when unknown). */
    public double perfFactor() {
        return perfFactor;
    }

    public long memoryTotalGiB() {
        return memoryTotalGiB;
    }

    public long poolTotalGiB() {
        return poolTotalGiB;
    }

    public double migrationLogPct() {
        return migrationLogPct;
    }

    public List<PlacementVm> vms() {
        return vms;
    }

    /** Σ disk_size_gib of the VMs that are not retired. */
    public long vmDiskGiB() {
        return vmDiskGiB;
    }

    /** Σ memory of the VMs that are not retired. */
    public long vmMemoryMiB() {
        return vmMemoryMiB;
    }

    /** Σ num_cpu of all its VMs. */
    public long vmNumCpu() {
        return vmNumCpu;
    }

    public VmGroups groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "PlacementCandidate[" + hostname + ", " + vms.size() + " VMs]";
    }
}
