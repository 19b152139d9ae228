package org.igvm.domain.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.junit.jupiter.api.Test;

class TestDomainSpecFactory {
    private final DomainSpecFactory factory = new DomainSpecFactory(CpuFamilies.DEFAULTS);

    @Test
    void referenceVmGetsTheValuesOfTheWorkedExample() {
        DomainSpec spec = ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts());

        assertThat(spec.name()).isEqualTo("4242_web01.example.net");
        assertThat(spec.memoryMiB()).isEqualTo(2048);
        assertThat(spec.maxMemoryMiB()).isEqualTo(126976);
        assertThat(spec.memorySlots()).isEqualTo(16);
        assertThat(spec.vcpus()).isEqualTo(2);
        assertThat(spec.maxVcpus()).isEqualTo(24);
        assertThat(spec.cpuModel()).isEqualTo("Haswell-noTSX");
        assertThat(spec.sockets()).isEqualTo(2);
        assertThat(spec.coresPerSocket()).isEqualTo(12);
        assertThat(spec.pool()).isEqualTo("vg0");
        assertThat(spec.volume()).isEqualTo("4242_web01.example.net");
        assertThat(spec.vlanTag()).isEqualTo(100);
        assertThat(spec.ioWeight()).isEqualTo(500);
    }

    @Test
    void maxVcpusIsAtLeast24AndCappedAtTheHostsCores() {
        assertThat(maxVcpus(2, 32)).isEqualTo(24);
        assertThat(maxVcpus(2, 16)).isEqualTo(16);
        assertThat(maxVcpus(28, 32)).isEqualTo(28);
        assertThat(maxVcpus(32, 32)).isEqualTo(32);
    }

    @Test
    void moreCpusThanTheHostHasIsRefused() {
        assertThatThrownBy(() -> create(ReferenceFleet.vm().with("num_cpu", 33L), facts(32, 2)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("web01.example.net wants 33 CPUs")
                .hasMessageContaining("has only 32");
    }

    @Test
    void vcpusAreInterleavedOverTheNodesAndPinnedToTheirCpus() {
        DomainSpec spec = ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts());

        assertThat(spec.numaCells()).hasSize(2);
        DomainSpec.GuestNumaCell cell0 = spec.numaCells().get(0);
        DomainSpec.GuestNumaCell cell1 = spec.numaCells().get(1);
        assertThat(cell0.vcpus())
                .containsExactlyElementsOf(
                        IntStream.iterate(0, i -> i < 24, i -> i + 2).boxed().toList());
        assertThat(cell1.vcpus())
                .containsExactlyElementsOf(
                        IntStream.iterate(1, i -> i < 24, i -> i + 2).boxed().toList());
        assertThat(cell0.memoryMiB()).isEqualTo(1024);
        assertThat(cell1.memoryMiB()).isEqualTo(1024);
        assertThat(List.of(cell0.hostNode(), cell1.hostNode())).containsExactly(0, 1);
        assertThat(spec.vcpuPins()).hasSize(24);
        for (DomainSpec.VcpuPin pin : spec.vcpuPins()) {
            assertThat(pin.cpuset()).isEqualTo(pin.vcpu() % 2 == 0 ? "0-7,16-23" : "8-15,24-31");
        }
    }

    @Test
    void oddVcpuCountOnTwoNodesStillGivesAConsistentTopology() {
        DomainSpec spec = create(ReferenceFleet.vm().with("num_cpu", 25L), facts(32, 2));

        assertThat(spec.vcpus()).isEqualTo(25);
        assertThat(spec.maxVcpus()).isEqualTo(26);
        assertThat(spec.sockets() * spec.coresPerSocket()).isEqualTo(spec.maxVcpus());
        assertThat(spec.numaCells().stream().mapToInt(c -> c.vcpus().size()).sum())
                .isEqualTo(spec.maxVcpus());
    }

    @Test
    void oddVcpuCountThatFillsTheHostUsesOneSocket() {
        DomainSpec spec = create(ReferenceFleet.vm().with("num_cpu", 15L), facts(15, 1));
        DomainSpec threeNodes = create(ReferenceFleet.vm().with("num_cpu", 15L), facts(15, 3));
        DomainSpec fills = create(ReferenceFleet.vm().with("num_cpu", 15L), oddTwoNodeFacts());

        assertThat(spec.maxVcpus()).isEqualTo(15);
        assertThat(threeNodes.sockets() * threeNodes.coresPerSocket()).isEqualTo(15);
        assertThat(fills.maxVcpus()).isEqualTo(15);
        assertThat(fills.sockets()).isEqualTo(1);
        assertThat(fills.coresPerSocket()).isEqualTo(15);
    }

    @Test
    void memoryIsSplitOverTheCellsWithoutLosingAny() {
        DomainSpec spec = create(ReferenceFleet.vm().with("memory", 2050L), facts(32, 4));

        assertThat(spec.numaCells().stream()
                        .mapToLong(DomainSpec.GuestNumaCell::memoryMiB)
                        .sum())
                .isEqualTo(2050);
        assertThat(spec.numaCells()).allSatisfy(c -> assertThat(c.memoryMiB()).isBetween(512L, 513L));
    }

    @Test
    void noNumaFactsMeansOneNodeOverAllCpus() {
        HypervisorFacts flat = new HypervisorFacts("hv", 16, 8192, 4096, List.of(), 9_000_000);

        DomainSpec spec = create(ReferenceFleet.vm(), flat);

        assertThat(spec.numaCells()).singleElement().satisfies(c -> {
            assertThat(c.vcpus()).hasSize(16);
            assertThat(c.memoryMiB()).isEqualTo(2048);
            assertThat(c.hostNode()).isZero();
        });
        assertThat(spec.vcpuPins()).allSatisfy(p -> assertThat(p.cpuset()).isEqualTo("0-15"));
        assertThat(spec.sockets()).isEqualTo(1);
        // 8192 - 2048 reserve, in whole 128 MiB steps
        assertThat(spec.maxMemoryMiB()).isEqualTo(6144);
    }

    @Test
    void maxMemoryIsRoundedDownToTheHotplugGranularityButNeverBelowMemory() {
        HypervisorFacts odd = new HypervisorFacts(
                "hv",
                32,
                2048 + 1000,
                0,
                List.of(new NumaNode(0, "0-15", 1524), new NumaNode(1, "16-31", 1524)),
                9_000_000);

        assertThat(create(ReferenceFleet.vm().with("memory", 512L), odd).maxMemoryMiB())
                .isEqualTo(768);
        assertThat(create(ReferenceFleet.vm().with("memory", 900L), odd).maxMemoryMiB())
                .isEqualTo(900);
    }

    @Test
    void macIsDerivedFromTheObjectIdLowestByteFirst() {
        assertThat(DomainSpecFactory.mac(ReferenceFleet.vm())).isEqualTo("ca:fe:01:92:10:00");
        assertThat(DomainSpecFactory.mac(
                        new ServerObject(0x123456, ReferenceFleet.vm().attributes())))
                .isEqualTo("ca:fe:01:56:34:12");
    }

    @Test
    void inventoryMacWins() {
        ServerObject vm = ReferenceFleet.vm().with("mac", List.of("52:54:00:AB:CD:EF"));

        assertThat(DomainSpecFactory.mac(vm)).isEqualTo("52:54:00:ab:cd:ef");
    }

    @Test
    void ioWeightIs500ForDefaultElse250() {
        assertThat(create(ReferenceFleet.vm(), facts(32, 2)).ioWeight()).isEqualTo(500);
        assertThat(create(ReferenceFleet.vm().with("io_weight", null), facts(32, 2))
                        .ioWeight())
                .isEqualTo(500);
        assertThat(create(ReferenceFleet.vm().with("io_weight", "low"), facts(32, 2))
                        .ioWeight())
                .isEqualTo(250);
    }

    @Test
    void labSettingsGiveTheConfiguredCpuModelAndNoVlanOnALinuxBridge() {
        HypervisorSettings lab = ReferenceFleet.labSettings("images");
        ServerObject unknownHardware = ReferenceFleet.hypervisor().with("hardware_model", "Lab_Box");

        DomainSpec spec = factory.create(
                ReferenceFleet.vm(), unknownHardware, 100, facts(4, 1), lab, "images", "4242_web01.example.net");

        assertThat(spec.cpuModel()).isEqualTo("qemu64");
        assertThat(spec.vlanTag()).isNull();
        assertThat(spec.settings()).isEqualTo(lab);
        assertThat(spec.maxVcpus()).isEqualTo(4);
    }

    @Test
    void unknownHardwareModelWithoutConfiguredCpuModelIsRefused() {
        ServerObject unknownHardware = ReferenceFleet.hypervisor().with("hardware_model", "Lab_Box");

        assertThatThrownBy(() -> factory.create(
                        ReferenceFleet.vm(),
                        unknownHardware,
                        100,
                        facts(32, 2),
                        HypervisorSettings.defaults(),
                        "xen-data",
                        "4242_web01.example.net"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Lab_Box");
    }

    private int maxVcpus(int numCpu, int hostCpus) {
        return create(ReferenceFleet.vm().with("num_cpu", (long) numCpu), facts(hostCpus, 2))
                .maxVcpus();
    }

    private DomainSpec create(ServerObject vm, HypervisorFacts facts) {
        return factory.create(
                vm,
                ReferenceFleet.hypervisor(),
                100,
                facts,
                HypervisorSettings.defaults(),
                "xen-data",
                "4242_web01.example.net");
    }

    /** A host with {@code cpus} CPUs split evenly (as far as possible) over {@code nodes} nodes. */
    private static HypervisorFacts facts(int cpus, int nodes) {
        List<NumaNode> numa = IntStream.range(0, nodes)
                .mapToObj(
                        n -> new NumaNode(n, (n * cpus / nodes) + "-" + ((n + 1) * cpus / nodes - 1), 131072L / nodes))
                .toList();
        return new HypervisorFacts("hv", cpus, 131072, 65536, numa, 9_000_000);
    }

    /** 15 CPUs on 2 nodes: no whole number of vCPUs per node reaches 15. */
    private static HypervisorFacts oddTwoNodeFacts() {
        return new HypervisorFacts(
                "hv",
                15,
                131072,
                65536,
                List.of(new NumaNode(0, "0-7", 65536), new NumaNode(1, "8-14", 65536)),
                9_000_000);
    }
}
