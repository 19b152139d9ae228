package org.igvm.transport.qemu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.igvm.domain.spi.hypervisor.DomainSpec.VcpuPin;
import org.igvm.domain.spi.hypervisor.NumaNode;

/**
 * vCPU pinning across two hypervisors. libvirt carries a running domain's pinning to the target
 * and refuses the migration ("invalid cpuset") when it names a CPU the target lacks, so for the
 * move every vCPU is limited to the CPUs both hosts have (those of the smaller one), and re-pinned
 * for the target's layout afterwards.
 */
final class VcpuPinning {
    private VcpuPinning() {}

    /**
     * The pinning limited to CPUs {@code 0 .. cpus-1}: each vCPU keeps those of its CPUs, and one
     * left with none may run on all of them.
     */
    static List<VcpuPin> reduce(List<VcpuPin> pins, int cpus) {
        List<VcpuPin> reduced = new ArrayList<>();
        for (VcpuPin pin : pins) {
            BitSet set = parse(pin.cpuset());
            set.clear(cpus, Math.max(cpus, set.length()));
            if (set.isEmpty()) {
                set.set(0, cpus);
            }
            reduced.add(new VcpuPin(pin.vcpu(), format(set)));
        }
        return reduced;
    }

    /**
     * The pinning for the target after the move, from the pinning the domain had on the source: a
     * vCPU that could run on every source CPU (unpinned) may run on every target CPU; one whose
     * CPUs all exist on the target keeps them; any other follows the target's NUMA layout the way
     * igvm's domain spec pins a new domain (vCPU {@code v} on node {@code v mod nodes}), or all its
     * CPUs when the target reports no NUMA nodes.
     */
    static List<VcpuPin> forTarget(List<VcpuPin> original, int sourceCpus, int targetCpus, List<NumaNode> targetNodes) {
        BitSet allSource = new BitSet();
        allSource.set(0, sourceCpus);
        List<VcpuPin> pins = new ArrayList<>();
        for (VcpuPin pin : original) {
            BitSet set = parse(pin.cpuset());
            String cpuset;
            if (set.equals(allSource) || set.isEmpty()) {
                cpuset = targetCpus <= 1 ? "0" : "0-" + (targetCpus - 1);
            } else if (set.length() <= targetCpus) {
                cpuset = format(set);
            } else if (!targetNodes.isEmpty()) {
                cpuset = targetNodes.get(pin.vcpu() % targetNodes.size()).cpuset();
            } else {
                cpuset = targetCpus <= 1 ? "0" : "0-" + (targetCpus - 1);
            }
            pins.add(new VcpuPin(pin.vcpu(), cpuset));
        }
        return pins;
    }

    /** Whether two pinnings allow the same CPUs for every vCPU. */
    static boolean same(List<VcpuPin> a, List<VcpuPin> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).vcpu() != b.get(i).vcpu()
                    || !parse(a.get(i).cpuset()).equals(parse(b.get(i).cpuset()))) {
                return false;
            }
        }
        return true;
    }

    /** A libvirt cpuset ({@code "0-7,16-23"}, {@code ^N} excludes) as a set of CPU numbers. */
    static BitSet parse(String cpuset) {
        BitSet cpus = new BitSet();
        BitSet excluded = new BitSet();
        for (String part : cpuset.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclude = p.startsWith("^");
            String range = exclude ? p.substring(1) : p;
            int dash = range.indexOf('-');
            int from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).trim());
            int to =
                    dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).trim());
            (exclude ? excluded : cpus).set(from, to + 1);
        }
        cpus.andNot(excluded);
        return cpus;
    }

    /** CPU numbers as a cpuset with ranges: {0,1,2,3,8} → {@code "0-3,8"}. */
    static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        int start = cpus.nextSetBit(0);
        while (start >= 0) {
            int end = cpus.nextClearBit(start) - 1;
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            start = cpus.nextSetBit(end + 1);
        }
        return out.toString();
    }
}
