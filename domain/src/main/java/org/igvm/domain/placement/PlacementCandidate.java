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

    /** {@code cpu_perffactor} ÷ 1000; 1.0 when unknown or 0. */
    static double perfFactorOf(Long cpuPerffactor) {
        return cpuPerffactor == null || cpuPerffactor == 0 ? 1.0 : cpuPerffactor / 1000.0;
    }

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
    private final int vmCount;
    /** Like-VM counts per OtherVms preference name, computed by the store; null when counted from {@link #vms}. */
    private final java.util.Map<String, Integer> likeVms;

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
        this.perfFactor = perfFactorOf(cpuPerffactor);
        this.memoryTotalGiB = orUnknown(memoryTotalGiB);
        this.poolTotalGiB = orUnknown(poolTotalGiB);
        this.migrationLogPct = migrationLogPct;
        this.vms = List.copyOf(vms);
        VmTotals totals = VmTotals.of(this.vms);
        this.vmDiskGiB = totals.diskGiB();
        this.vmMemoryMiB = totals.memoryMiB();
        this.vmNumCpu = totals.numCpu();
        this.groups = new VmGroups(grouping, grouping.idsOf(this.vms));
        this.vmCount = this.vms.size();
        this.likeVms = null;
    }

    private PlacementCandidate(
            PlacementCandidate base, VmTotals totals, int vmCount, java.util.Map<String, Integer> likeVms) {
        this.hostname = base.hostname;
        this.objectId = base.objectId;
        this.state = base.state;
        this.os = base.os;
        this.environment = base.environment;
        this.hardwareModel = base.hardwareModel;
        this.numCpu = base.numCpu;
        this.cpuUtilPct = base.cpuUtilPct;
        this.iopsAvg = base.iopsAvg;
        this.cpuPerffactor = base.cpuPerffactor;
        this.perfFactor = base.perfFactor;
        this.memoryTotalGiB = base.memoryTotalGiB;
        this.poolTotalGiB = base.poolTotalGiB;
        this.migrationLogPct = base.migrationLogPct;
        this.vms = List.of();
        this.vmDiskGiB = totals.diskGiB();
        this.vmMemoryMiB = totals.memoryMiB();
        this.vmNumCpu = totals.numCpu();
        this.groups = base.groups;
        this.vmCount = vmCount;
        this.likeVms = java.util.Map.copyOf(likeVms);
    }

    /**
     * A candidate whose VMs the store has summed and counted instead of listing them: the
     * totals, the number of VMs, and per {@link OtherVms} preference name how many of its VMs are
     * like the VM being placed (that VM itself not counted). A preference missing from {@code
     * likeVms} counts 0.
     */
    public static PlacementCandidate ofTotals(
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
            VmTotals totals,
            int vmCount,
            java.util.Map<String, Integer> likeVms,
            GroupingAttributes grouping) {
        PlacementCandidate base = of(
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
                List.of(),
                grouping);
        return new PlacementCandidate(base, totals, vmCount, likeVms);
    }

    /** How many VMs like the subject the store counted for this preference; -1 when not counted by the store. */
    int likeVms(String preference) {
        return likeVms == null ? -1 : likeVms.getOrDefault(preference, 0);
    }

    /** The number of VMs on the hypervisor. */
    public int vmCount() {
        return vmCount;
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
        return "PlacementCandidate[" + hostname + ", " + vmCount + " VMs]";
    }
}
