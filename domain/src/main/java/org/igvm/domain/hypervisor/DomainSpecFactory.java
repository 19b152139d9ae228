package org.igvm.domain.hypervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.igvm.domain.vm.UidName;

/** Derives a VM's domain definition from the inventory and the hypervisor's live facts (spec §5). */
public final class DomainSpecFactory {
    static final int MIN_MAX_VCPUS = 24;
    static final int MEMORY_SLOTS = 16;

    private final Map<String, String> cpuFamilies;

    public DomainSpecFactory(Map<String, String> cpuFamilies) {
        this.cpuFamilies = Map.copyOf(cpuFamilies);
    }

    /**
     * @param vm the VM's inventory object
     * @param hypervisor the hypervisor's inventory object
     * @param vlanTag VLAN tag of the VM's route network, null when it has none
     * @param facts the hypervisor's live facts
     * @param settings the site settings in force on that hypervisor
     * @param pool the storage pool holding the volume
     * @param volume the volume's name
     */
    public DomainSpec create(
            ServerObject vm,
            ServerObject hypervisor,
            Integer vlanTag,
            HypervisorFacts facts,
            HypervisorSettings settings,
            String pool,
            String volume) {
        List<NumaNode> nodes = facts.numaNodes().isEmpty()
                ? List.of(new NumaNode(0, "0-" + (facts.cpus() - 1), facts.memoryMiB()))
                : facts.numaNodes();
        int nodeCount = nodes.size();
        int numCpu = (int) vm.integer("num_cpu", 1);
        long memory = vm.integer("memory", 0);
        if (numCpu > facts.cpus()) {
            throw new InvalidInputException(vm.hostname() + " wants " + numCpu + " CPUs but " + facts.hostname()
                    + " has only " + facts.cpus() + "; lower num_cpu or pick another hypervisor");
        }
        int maxVcpus = maxVcpus(numCpu, facts.cpus(), nodeCount);
        // The guest topology must multiply out to the maximum; one socket per node when that divides.
        int sockets = maxVcpus % nodeCount == 0 ? nodeCount : 1;

        List<DomainSpec.GuestNumaCell> cells = new ArrayList<>();
        for (int cell = 0; cell < nodeCount; cell++) {
            List<Integer> vcpus = new ArrayList<>();
            for (int v = cell; v < maxVcpus; v += nodeCount) {
                vcpus.add(v);
            }
            // Split equally; a remainder goes to the first cells so the cells add up to the memory.
            long cellMemory = memory / nodeCount + (cell < memory % nodeCount ? 1 : 0);
            cells.add(new DomainSpec.GuestNumaCell(
                    cell, vcpus, cellMemory, nodes.get(cell).id()));
        }
        List<DomainSpec.VcpuPin> pins = new ArrayList<>();
        for (int v = 0; v < maxVcpus; v++) {
            pins.add(new DomainSpec.VcpuPin(v, nodes.get(v % nodeCount).cpuset()));
        }

        long maxMemory = facts.memoryMiB() - settings.hostMemoryReserveMiB();
        long granularity = 128L * nodeCount;
        maxMemory -= maxMemory % granularity;
        maxMemory = Math.max(maxMemory, memory);

        return new DomainSpec(
                UidName.of(vm.objectId(), vm.hostname()),
                settings,
                memory,
                maxMemory,
                MEMORY_SLOTS,
                numCpu,
                maxVcpus,
                cpuModel(hypervisor, settings),
                sockets,
                maxVcpus / sockets,
                cells,
                pins,
                pool,
                volume,
                mac(vm),
                settings.virtualport().isEmpty() ? null : vlanTag,
                "default".equals(vm.string("io_weight")) || vm.isEmpty("io_weight") ? 500 : 250);
    }

    /**
     * Room for hot-adding vCPUs: max(24, num_cpu) capped at the host's CPUs, as a whole number per
     * NUMA node (rounded down, or up when rounding down would fall below num_cpu and the host has the
     * CPUs); when neither fits, exactly num_cpu.
     */
    static int maxVcpus(int numCpu, int hostCpus, int nodeCount) {
        int max = Math.min(Math.max(MIN_MAX_VCPUS, numCpu), hostCpus);
        int roundedDown = max - max % nodeCount;
        if (roundedDown >= numCpu) {
            return roundedDown;
        }
        int roundedUp = (numCpu + nodeCount - 1) / nodeCount * nodeCount;
        return roundedUp <= hostCpus ? roundedUp : numCpu;
    }

    private String cpuModel(ServerObject hypervisor, HypervisorSettings settings) {
        if (!settings.cpuModel().isEmpty()) {
            return settings.cpuModel();
        }
        String model = hypervisor.string("hardware_model");
        String family = model == null ? null : cpuFamilies.get(model);
        if (family == null) {
            throw new InvalidInputException("hypervisor " + hypervisor.hostname() + " has hardware model " + model
                    + " with no CPU family; add it to cpu_families in the igvm config");
        }
        return family;
    }

    /** The inventory MAC, else {@code ca:fe:01:} and the object id's three low bytes, lowest first. */
    static String mac(ServerObject vm) {
        List<String> macs = vm.strings("mac");
        if (!macs.isEmpty()) {
            return macs.get(0).toLowerCase(java.util.Locale.ROOT);
        }
        long id = vm.objectId();
        return String.format("ca:fe:01:%02x:%02x:%02x", id & 0xff, (id >> 8) & 0xff, (id >> 16) & 0xff);
    }
}
