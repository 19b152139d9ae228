package org.igvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.igvm.domain.placement.GroupingAttributes;
import org.igvm.domain.placement.PlacementCandidate;
import org.igvm.domain.placement.PlacementSubject;
import org.igvm.domain.placement.PlacementVm;

/**
 * A fleet written by {@code make_fleet.py}, as the raw JSON (for the naive baseline) and as the
 * engine's records (candidates in the file's order, which is hostname order, and the subject on
 * the first hypervisor).
 */
record BenchFleet(
        Map<String, Object> json,
        GroupingAttributes grouping,
        List<PlacementCandidate> candidates,
        PlacementVm subjectVm,
        String currentHostname) {

    /** The script's default location, relative to the repository root. */
    static final String DEFAULT_SCRIPT = "../../shared/bench/make_fleet.py";

    /** Runs {@code make_fleet.py N perHv} into a temporary file and reads it. */
    static BenchFleet generate(int hypervisors, int vmsPerHypervisor) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("igvm.bench.makeFleet", DEFAULT_SCRIPT));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("fleet generator " + script.toAbsolutePath()
                    + " not found; run from the repository root or pass -Digvm.bench.makeFleet=PATH");
        }
        Path out = Files.createTempFile("igvm-fleet-" + hypervisors + "-", ".json");
        try {
            Process p = new ProcessBuilder(
                            "python3",
                            script.toString(),
                            String.valueOf(hypervisors),
                            String.valueOf(vmsPerHypervisor),
                            out.toString())
                    .inheritIO()
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("make_fleet.py failed");
            }
            return read(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @SuppressWarnings("unchecked")
    static BenchFleet read(Path file) throws IOException {
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(Files.readString(file));
        GroupingAttributes grouping = GroupingAttributes.of(org.igvm.domain.placement.DefaultPreferences.list());
        List<PlacementCandidate> candidates = new ArrayList<>();
        for (Object o : (List<Object>) json.get("hypervisors")) {
            candidates.add(candidate((Map<String, Object>) o, grouping));
        }
        Map<String, Object> subject = (Map<String, Object>) json.get("subject");
        return new BenchFleet(json, grouping, candidates, vm(subject, grouping), (String) subject.get("hypervisor"));
    }

    PlacementSubject subject() {
        PlacementCandidate current = candidates.stream()
                .filter(c -> c.hostname().equals(currentHostname))
                .findFirst()
                .orElseThrow();
        return new PlacementSubject(subjectVm, current, grouping);
    }

    @SuppressWarnings("unchecked")
    static PlacementCandidate candidate(Map<String, Object> hv, GroupingAttributes grouping) {
        List<PlacementVm> vms = new ArrayList<>();
        for (Object o : (List<Object>) hv.get("vms")) {
            vms.add(vm((Map<String, Object>) o, grouping));
        }
        return PlacementCandidate.of(
                (String) hv.get("hostname"),
                (Long) hv.get("object_id"),
                (String) hv.get("state"),
                (String) hv.get("os"),
                (String) hv.get("environment"),
                (String) hv.get("hardware_model"),
                ((Long) hv.get("num_cpu")).intValue(),
                (Long) hv.get("cpu_util_pct"),
                (Long) hv.get("iops_avg"),
                (Long) hv.get("cpu_perffactor"),
                (Long) hv.get("libvirt_memory_total_gib"),
                (Long) hv.get("libvirt_pool_total_gib"),
                0.0, // the generated migration logs are empty
                vms,
                grouping);
    }

    static PlacementVm vm(Map<String, Object> vm, GroupingAttributes grouping) {
        List<String> values = new ArrayList<>(grouping.names().size());
        for (String name : grouping.names()) {
            Object v = vm.get(name);
            values.add(v == null ? null : grouping.canonical(v.toString()));
        }
        return new PlacementVm(
                (String) vm.get("hostname"),
                (String) vm.get("state"),
                ((Long) vm.get("num_cpu")).intValue(),
                (Long) vm.get("memory"),
                (Long) vm.get("disk_size_gib"),
                (String) vm.get("environment"),
                (Long) vm.get("load_99"),
                values);
    }
}
