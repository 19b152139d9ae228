package org.igvm.domain.hypervisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;

/**
 * The inventory and hypervisor facts behind {@code domain-example.xml}: VM 4242
 * web01.example.net (2 CPUs, 2048 MiB, io_weight default, net-a vlan 100) on a 32-core Dell_R640
 * with two NUMA nodes, whose memory leaves 126976 MiB for VMs.
 */
public final class ReferenceFleet {
    public static final long VM_ID = 4242;
    public static final String VM_HOSTNAME = "web01.example.net";
    public static final String HV_HOSTNAME = "hv01.example.net";
    public static final int VLAN_TAG = 100;
    /** 126976 MiB for VMs plus the default 2048 MiB kept for the hypervisor. */
    public static final long HV_MEMORY_MIB = 126976 + 2048;

    private ReferenceFleet() {}

    public static ServerObject vm() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hostname", VM_HOSTNAME);
        a.put("servertype", "vm");
        a.put("state", "online");
        a.put("hypervisor", HV_HOSTNAME);
        a.put("num_cpu", 2L);
        a.put("memory", 2048L);
        a.put("disk_size_gib", 10L);
        a.put("io_weight", "default");
        a.put("mac", List.of());
        a.put("intern_ip", "10.20.30.40");
        a.put("route_network", "net-a");
        return new ServerObject(VM_ID, a);
    }

    public static ServerObject hypervisor() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hostname", HV_HOSTNAME);
        a.put("servertype", "hypervisor");
        a.put("state", "online");
        a.put("hardware_model", "Dell_R640");
        a.put("num_cpu", 32L);
        return new ServerObject(1001, a);
    }

    public static HypervisorFacts twoNodeFacts() {
        return new HypervisorFacts(
                HV_HOSTNAME,
                32,
                HV_MEMORY_MIB,
                HV_MEMORY_MIB - 4096,
                List.of(
                        new NumaNode(0, "0-7,16-23", HV_MEMORY_MIB / 2),
                        new NumaNode(1, "8-15,24-31", HV_MEMORY_MIB / 2)),
                9_000_000);
    }

    /** A 1-node, 16-CPU hypervisor with 64 GiB. */
    public static HypervisorFacts oneNodeFacts() {
        return new HypervisorFacts(HV_HOSTNAME, 16, 65536, 60000, List.of(new NumaNode(0, "0-15", 65536)), 9_000_000);
    }

    /** The production settings with the example's storage pool {@code vg0}. */
    public static DomainSpec referenceSpec(HypervisorFacts facts) {
        return new DomainSpecFactory(CpuFamilies.DEFAULTS)
                .create(
                        vm(),
                        hypervisor(),
                        VLAN_TAG,
                        facts,
                        HypervisorSettings.defaults(),
                        "vg0",
                        "4242_web01.example.net");
    }

    /** Site settings as on the lab: TCG, plain Linux bridge, direct kernel boot, a serial log. */
    public static HypervisorSettings labSettings(String pool) {
        return new HypervisorSettings(
                "qemu",
                "pc",
                "/usr/bin/qemu-system-x86_64",
                "br0",
                "",
                "/var/lib/libvirt/boot/vmlinuz",
                "/var/lib/libvirt/boot/initrd-igvm.gz",
                "console=ttyS0 root=/dev/vda",
                "qemu64",
                pool,
                512,
                50,
                1,
                "/var/log/libvirt/qemu");
    }
}
