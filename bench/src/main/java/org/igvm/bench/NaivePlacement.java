package org.igvm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The baseline: spec §4's default scoring done the straightforward way, as a port of the
 * reference's structure — every preference walks the hypervisor's VM dictionaries again and looks
 * attributes up by name, nothing is precomputed. Same results as the engine, for comparison only.
 */
final class NaivePlacement {
    private static final List<String> SAME_GROUP =
            List.of("project", "function", "environment", "game_market", "game_world", "game_type", "served_game");

    private NaivePlacement() {}

    /** Hostnames of the ranked hypervisors, best first (strict preferences). */
    @SuppressWarnings("unchecked")
    static List<String> rank(Map<String, Object> fleet, Map<String, Double> thresholds) {
        Map<String, Object> vm = (Map<String, Object>) fleet.get("subject");
        List<Map<String, Object>> hvs = (List<Map<String, Object>>) fleet.get("hypervisors");
        Map<String, Object> current = null;
        for (Map<String, Object> hv : hvs) {
            if (hv.get("hostname").equals(vm.get("hypervisor"))) {
                current = hv;
            }
        }
        List<Object[]> ranked = new ArrayList<>();
        for (Map<String, Object> hv : hvs) {
            double[] scores = {
                insufficient(vm, hv, "libvirt_pool_total_gib", "disk_size_gib", 1, 32),
                insufficient(vm, hv, "libvirt_memory_total_gib", "memory", 1024, 2048),
                Objects.equals(hv.get("environment"), vm.get("environment")) ? 1.0 : 0.01,
                cpuUsage(vm, hv, current, thresholds),
                otherVms(vm, hv, SAME_GROUP, null),
                otherVms(vm, hv, List.of("function", "game_world"), List.of("db", 0L)),
                otherVms(vm, hv, List.of("function"), List.of("jenkins_node")),
                otherVms(vm, hv, List.of("function"), List.of("monitoring-worker")),
                overAllocation(vm, hv, current),
                limit(hv, "cpu_util_pct", 100),
                limit(hv, "iops_avg", 100),
                otherVms(vm, hv, List.of("project", "environment", "game_market"), null)
            };
            double sum = 0;
            boolean excluded = false;
            for (double s : scores) {
                if (s == 0) {
                    excluded = true;
                }
                sum += s;
            }
            if (!excluded) {
                ranked.add(new Object[] {hv.get("hostname"), sum / scores.length});
            }
        }
        ranked.sort((a, b) -> Double.compare((Double) b[1], (Double) a[1]));
        return ranked.stream().map(r -> (String) r[0]).toList();
    }

    @SuppressWarnings("unchecked")
    private static double insufficient(
            Map<String, Object> vm, Map<String, Object> hv, String hvAttr, String vmAttr, long m, long reserve) {
        Long total = (Long) hv.get(hvAttr);
        if (total == null || total == 0) {
            return 1.0;
        }
        long remaining = total * m;
        for (Map<String, Object> other : (List<Map<String, Object>>) hv.get("vms")) {
            if (!"retired".equals(other.get("state"))) {
                remaining -= (Long) other.get(vmAttr);
            }
        }
        remaining -= reserve;
        long wanted = (Long) vm.get(vmAttr);
        return remaining < wanted ? 0.0 : 1.0 - (double) wanted / remaining;
    }

    private static double cpuUsage(
            Map<String, Object> vm,
            Map<String, Object> hv,
            Map<String, Object> current,
            Map<String, Double> thresholds) {
        if (current == null) {
            return 1.0;
        }
        Double threshold = thresholds.get((String) hv.get("hardware_model"));
        if (threshold == null) {
            return 0.0;
        }
        double load = Math.min((Long) vm.get("load_99") / 1000.0, (Long) vm.get("num_cpu"));
        double share = load
                * ((Long) current.get("cpu_perffactor") / 1000.0)
                / ((Long) hv.get("cpu_perffactor") / 1000.0)
                / (Long) hv.get("num_cpu")
                * 100;
        double usage = Math.max(0, (Long) hv.get("cpu_util_pct") + share);
        return usage > threshold ? 0.0 : 1.0 - usage / threshold;
    }

    @SuppressWarnings("unchecked")
    private static double otherVms(
            Map<String, Object> vm, Map<String, Object> hv, List<String> attributes, List<Object> values) {
        List<Map<String, Object>> vms = (List<Map<String, Object>>) hv.get("vms");
        if (vms.isEmpty()) {
            return 1.0;
        }
        if (values != null) {
            for (int i = 0; i < attributes.size(); i++) {
                if (!Objects.equals(vm.get(attributes.get(i)), values.get(i))) {
                    return 1.0;
                }
            }
        }
        int n = 0;
        for (Map<String, Object> other : vms) {
            if (other.get("hostname").equals(vm.get("hostname"))) {
                continue;
            }
            boolean same = true;
            for (String a : attributes) {
                if (!Objects.equals(other.get(a), vm.get(a))) {
                    same = false;
                }
            }
            if (same) {
                n++;
            }
        }
        if (n == 0) {
            return 1.0;
        }
        double x = 1 - n / 100.0;
        return x <= 0 ? 0.01 : x * 0.01;
    }

    @SuppressWarnings("unchecked")
    private static double overAllocation(Map<String, Object> vm, Map<String, Object> hv, Map<String, Object> current) {
        if (current == null) {
            return 1.0;
        }
        long curCpus = 0;
        for (Map<String, Object> other : (List<Map<String, Object>>) current.get("vms")) {
            curCpus += (Long) other.get("num_cpu");
        }
        double cur = (double) curCpus / (Long) current.get("num_cpu");
        long tgtCpus = (Long) vm.get("num_cpu");
        for (Map<String, Object> other : (List<Map<String, Object>>) hv.get("vms")) {
            tgtCpus += (Long) other.get("num_cpu");
        }
        double rel = ((double) tgtCpus / (Long) hv.get("num_cpu")) / cur;
        return rel > 1 ? 0.01 : 1 - rel;
    }

    private static double limit(Map<String, Object> hv, String attribute, long limit) {
        Long value = (Long) hv.get(attribute);
        if (value == null) {
            return 1.0;
        }
        return value > limit ? 0.0 : 1 - value / 100.0;
    }
}
