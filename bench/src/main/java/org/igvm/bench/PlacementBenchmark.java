package org.igvm.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.igvm.domain.placement.DefaultPreferences;
import org.igvm.domain.placement.PlacementCandidate;
import org.igvm.domain.placement.PlacementEngine;
import org.igvm.domain.placement.PlacementRanking;
import org.igvm.domain.placement.PlacementSubject;
import org.igvm.domain.placement.PlacementVm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ranking the fleet's subject VM against every hypervisor of a {@code make_fleet.py N 40} fleet
 * with the default preferences (strict). {@code rank}: the engine on candidates built once;
 * {@code buildAndRank}: also the per-hypervisor totals (what changes between two placements when
 * the inventory changed); {@code naive}: the baseline, see {@link NaivePlacement}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(3)
public class PlacementBenchmark {
    @Param({"100", "1000", "10000"})
    int hypervisors;

    BenchFleet fleet;
    PlacementEngine engine;
    PlacementSubject subject;

    @Setup(Level.Trial)
    public void generateFleet() throws Exception {
        fleet = BenchFleet.generate(hypervisors, 40);
        engine = new PlacementEngine(DefaultPreferences.list());
        subject = fleet.subject();
        List<String> engineOrder = engine.rank(subject, fleet.candidates(), false).ranked().stream()
                .map(r -> r.hostname())
                .toList();
        List<String> naiveOrder = NaivePlacement.rank(fleet.json(), DefaultPreferences.CPU_USAGE_THRESHOLDS);
        if (!engineOrder.equals(naiveOrder)) {
            throw new IllegalStateException("engine and baseline disagree on the ranking");
        }
    }

    @Benchmark
    public PlacementRanking rank() {
        return engine.rank(subject, fleet.candidates(), false);
    }

    @Benchmark
    public PlacementRanking buildAndRank() {
        List<PlacementCandidate> rebuilt =
                new java.util.ArrayList<>(fleet.candidates().size());
        PlacementCandidate current = null;
        for (PlacementCandidate c : fleet.candidates()) {
            PlacementCandidate copy = PlacementCandidate.of(
                    c.hostname(),
                    c.objectId(),
                    c.state(),
                    c.os(),
                    c.environment(),
                    c.hardwareModel(),
                    c.numCpu(),
                    c.cpuUtilPct(),
                    c.iopsAvg(),
                    c.cpuPerffactor(),
                    c.memoryTotalGiB(),
                    c.poolTotalGiB(),
                    c.migrationLogPct(),
                    c.vms(),
                    fleet.grouping());
            if (copy.hostname().equals(fleet.currentHostname())) {
                current = copy;
            }
            rebuilt.add(copy);
        }
        PlacementVm vm = subject.vm();
        return engine.rank(new PlacementSubject(vm, current, subject.grouping()), rebuilt, false);
    }

    @Benchmark
    public List<String> naive() {
        return NaivePlacement.rank(fleet.json(), DefaultPreferences.CPU_USAGE_THRESHOLDS);
    }
}
