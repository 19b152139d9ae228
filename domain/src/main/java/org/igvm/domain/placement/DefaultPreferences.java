package org.igvm.domain.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The preference list of spec §4 with the thresholds of spec §6, in order. */
public final class DefaultPreferences {
    /** CPU-usage thresholds (%) by hardware model (spec §6). */
    public static final Map<String, Double> CPU_USAGE_THRESHOLDS = thresholds();

    /** The attributes that make two VMs "the same" for preference 5. */
    public static final List<String> SAME_GROUP =
            List.of("project", "function", "environment", "game_market", "game_world", "game_type", "served_game");

    /** Pool space the enough_disk preference keeps free. */
    public static final long DISK_RESERVE_GIB = 32;

    /** Memory the enough_memory preference keeps free. */
    public static final long MEMORY_RESERVE_MIB = 2048;

    private DefaultPreferences() {}

    public static List<Preference> list() {
        return list(CPU_USAGE_THRESHOLDS);
    }

    /** The default list with the site's CPU-usage thresholds. */
    public static List<Preference> list(Map<String, Double> cpuUsageThresholds) {
        return list(cpuUsageThresholds, DISK_RESERVE_GIB, MEMORY_RESERVE_MIB);
    }

    /** The default list with the site's CPU-usage thresholds and reserves. */
    public static List<Preference> list(
            Map<String, Double> cpuUsageThresholds, long diskReserveGiB, long memoryReserveMiB) {
        return List.of(
                new InsufficientResource("enough_disk", PlacementResource.DISK, 1, diskReserveGiB),
                new InsufficientResource("enough_memory", PlacementResource.MEMORY, 1024, memoryReserveMiB),
                new SameEnvironment("same_environment"),
                new CpuUsageLimit("cpu_usage", cpuUsageThresholds),
                new OtherVms("same_group", SAME_GROUP, List.of()),
                new OtherVms("db_masters", List.of("function", "game_world"), List.of("db", "0")),
                new OtherVms("jenkins_nodes", List.of("function"), List.of("jenkins_node")),
                new OtherVms("monitoring_workers", List.of("function"), List.of("monitoring-worker")),
                new OverAllocation("over_allocation"),
                new AttributeLimit("cpu_util", HypervisorMetric.CPU_UTIL_PCT, 100),
                new AttributeLimit("iops", HypervisorMetric.IOPS_AVG, 100),
                new OtherVms("same_project", List.of("project", "environment", "game_market"), List.of()));
    }

    private static Map<String, Double> thresholds() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("Dell_M610", 50.0);
        m.put("Dell_M620", 60.0);
        m.put("Dell_M630", 70.0);
        m.put("Dell_M640", 75.0);
        m.put("Dell_M710", 50.0);
        m.put("Dell_R320", 50.0);
        m.put("Dell_R430", 25.0);
        m.put("Dell_R510", 50.0);
        m.put("Dell_R620", 25.0);
        m.put("Dell_R640", 75.0);
        m.put("Dell_R6515", 50.0);
        m.put("Dell_R7515", 50.0);
        m.put("Supermicro_H13S", 50.0);
        return Map.copyOf(m);
    }
}
