package org.igvm.domain.placement;

import java.util.ArrayList;
import java.util.List;

/** Small hand-made VMs and hypervisors for the placement tests, with the default grouping. */
final class PlacementExamples {
    static final GroupingAttributes GROUPING = GroupingAttributes.of(DefaultPreferences.list());

    private PlacementExamples() {}

    /** A VM of project alpha, function web, production, market de, world 1, type a, game x. */
    static VmBuilder vm(String hostname) {
        return new VmBuilder(hostname);
    }

    static HvBuilder hv(String hostname) {
        return new HvBuilder(hostname);
    }

    static final class VmBuilder {
        String hostname;
        String state = "online";
        int numCpu = 2;
        long memory = 2048;
        long disk = 10;
        Long load99;
        String project = "alpha";
        String function = "web";
        String environment = "production";
        String market = "de";
        String world = "1";
        String type = "a";
        String game = "x";

        VmBuilder(String hostname) {
            this.hostname = hostname;
        }

        VmBuilder state(String v) {
            state = v;
            return this;
        }

        VmBuilder cpus(int v) {
            numCpu = v;
            return this;
        }

        VmBuilder memory(long v) {
            memory = v;
            return this;
        }

        VmBuilder disk(long v) {
            disk = v;
            return this;
        }

        VmBuilder load99(long v) {
            load99 = v;
            return this;
        }

        VmBuilder project(String v) {
            project = v;
            return this;
        }

        VmBuilder function(String v) {
            function = v;
            return this;
        }

        VmBuilder environment(String v) {
            environment = v;
            return this;
        }

        VmBuilder world(String v) {
            world = v;
            return this;
        }

        VmBuilder market(String v) {
            market = v;
            return this;
        }

        PlacementVm build() {
            List<String> values = new ArrayList<>();
            for (String name : GROUPING.names()) {
                values.add(
                        switch (name) {
                            case "project" -> project;
                            case "function" -> function;
                            case "environment" -> environment;
                            case "game_market" -> market;
                            case "game_world" -> world;
                            case "game_type" -> type;
                            case "served_game" -> game;
                            default -> throw new IllegalArgumentException(name);
                        });
            }
            return new PlacementVm(hostname, state, numCpu, memory, disk, environment, load99, values);
        }
    }

    static final class HvBuilder {
        String hostname;
        String environment = "production";
        String model = "Dell_R640";
        int numCpu = 32;
        Long cpuUtil = 10L;
        Long iops = 10L;
        Long perf = 1000L;
        Long memoryGiB = 128L;
        Long poolGiB = 1000L;
        double log = 0;
        List<PlacementVm> vms = new ArrayList<>();

        HvBuilder(String hostname) {
            this.hostname = hostname;
        }

        HvBuilder environment(String v) {
            environment = v;
            return this;
        }

        HvBuilder model(String v) {
            model = v;
            return this;
        }

        HvBuilder cpus(int v) {
            numCpu = v;
            return this;
        }

        HvBuilder cpuUtil(Long v) {
            cpuUtil = v;
            return this;
        }

        HvBuilder iops(Long v) {
            iops = v;
            return this;
        }

        HvBuilder perf(Long v) {
            perf = v;
            return this;
        }

        HvBuilder memoryGiB(Long v) {
            memoryGiB = v;
            return this;
        }

        HvBuilder poolGiB(Long v) {
            poolGiB = v;
            return this;
        }

        HvBuilder migrationLog(double v) {
            log = v;
            return this;
        }

        HvBuilder with(VmBuilder... more) {
            for (VmBuilder vm : more) {
                vms.add(vm.build());
            }
            return this;
        }

        PlacementCandidate build() {
            return PlacementCandidate.of(
                    hostname,
                    hostname.hashCode(),
                    "online",
                    "bookworm",
                    environment,
                    model,
                    numCpu,
                    cpuUtil,
                    iops,
                    perf,
                    memoryGiB,
                    poolGiB,
                    log,
                    vms,
                    GROUPING);
        }
    }

    static PlacementSubject newVm(VmBuilder vm) {
        return new PlacementSubject(vm.build(), null, GROUPING);
    }

    static PlacementSubject onHypervisor(VmBuilder vm, PlacementCandidate current) {
        return new PlacementSubject(vm.build(), current, GROUPING);
    }
}
