package org.igvm.bootstrap;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.adapters.inventory.FleetFile;

/**
 * Three hypervisors on libvirt's test driver for evacuate: hv1 (16 GiB) runs a, b and c (2 GiB, 10
 * GiB disk each); hv2 has room for one of them (6 GiB, 2 GiB kept for the host) and ranks best
 * (lowest CPU use); hv3 has room for two (8 GiB). Each VM alone fits hv2, so a plan that did not
 * count the VMs planned before would send all three there.
 */
final class EvacuationFleet {
    static final String HV1 = "hv1.evac.test";
    static final String HV2 = "hv2.evac.test";
    static final String HV3 = "hv3.evac.test";
    static final List<String> VMS = List.of("a.evac.test", "b.evac.test", "c.evac.test");
    static final long FIRST_ID = 4301;

    private EvacuationFleet() {}

    static long id(String vm) {
        return FIRST_ID + VMS.indexOf(vm);
    }

    /**
     * A runtime over a new inventory in {@code dir} with the three hypervisors; {@code
     * inventoryMemory}: whether the hypervisors' {@code libvirt_memory_total_gib} is in the
     * inventory (then the enough_memory preference sees the room too, else only the hard checks).
     */
    static IgvmRuntime start(Path dir, boolean inventoryMemory) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> uris = new LinkedHashMap<>();
        uris.put(HV1, "test://" + node(dir, "hv1", 16, VMS));
        uris.put(HV2, "test://" + node(dir, "hv2", 6, List.of()));
        uris.put(HV3, "test://" + node(dir, "hv3", 8, List.of()));
        IgvmConfig config = IgvmConfig.parse(
                Map.of(
                        "inventory", Map.of("url", "jdbc:sqlite:" + dir.resolve("inventory.db")),
                        "libvirt", Map.of("hypervisors", uris),
                        "site", Map.of("shutdown_timeout_seconds", 5, "guest_logins", false),
                        "ssh", TestFleet.loopbackOnlySsh(dir)),
                "evacuation test config");
        IgvmRuntime runtime = IgvmRuntime.start(config);
        FleetFile.importInto(runtime.inventory(), new StringReader(fleet(inventoryMemory)), false);
        return runtime;
    }

    private static String fleet(boolean inventoryMemory) {
        StringBuilder y = new StringBuilder("objects:\n");
        y.append(
                """
                  - object_id: 2001
                    servertype: route_network
                    hostname: net-a
                    state: online
                    ipv4: 10.20.30.0/24
                    vlan_tag: 100
                """);
        int[][] hvs = {{1001, 16, 70}, {1002, 6, 10}, {1003, 8, 40}};
        String[] names = {HV1, HV2, HV3};
        for (int i = 0; i < 3; i++) {
            y.append("  - object_id: ")
                    .append(hvs[i][0])
                    .append("\n    servertype: hypervisor\n    hostname: ")
                    .append(names[i])
                    .append("\n    state: online\n    os: bookworm\n    hardware_model: Dell_R640\n")
                    .append("    num_cpu: 16\n    cpu_util_pct: ")
                    .append(hvs[i][2])
                    .append('\n')
                    .append(inventoryMemory ? "    libvirt_memory_total_gib: " + hvs[i][1] + "\n" : "")
                    .append("    libvirt_pool_total_gib: 100\n    environment: production\n")
                    .append("    intern_ip: 10.0.0.")
                    .append(11 + i)
                    .append("\n    vlan_networks: [net-a]\n");
        }
        for (String vm : VMS) {
            y.append("  - object_id: ")
                    .append(id(vm))
                    .append("\n    servertype: vm\n    hostname: ")
                    .append(vm)
                    .append("\n    state: online\n    hypervisor: ")
                    .append(HV1)
                    .append("\n    os: bookworm\n    num_cpu: 2\n    memory: 2048\n    disk_size_gib: 10\n")
                    .append("    environment: production\n    function: ")
                    .append(vm.substring(0, 1))
                    .append("\n    project: evac\n    route_network: net-a\n    intern_ip: 10.20.30.")
                    .append(21 + VMS.indexOf(vm))
                    .append('\n');
        }
        return y.toString();
    }

    /** A test-driver node file: 16 CPUs, {@code gib} of memory, the VMs running with their volumes. */
    private static Path node(Path dir, String name, int gib, List<String> vms) throws Exception {
        StringBuilder x = new StringBuilder("<node>\n  <cpu><mhz>2400</mhz><model>x86_64</model><active>16</active>"
                + "<nodes>1</nodes><sockets>1</sockets><cores>16</cores><threads>1</threads></cpu>\n");
        x.append("  <memory>").append(gib * 1024L * 1024).append("</memory>\n");
        for (String vm : vms) {
            long id = id(vm);
            x.append("  <domain type='kvm'><name>")
                    .append(id)
                    .append('_')
                    .append(vm)
                    .append("</name><uuid>0b7c1a52-")
                    .append(id)
                    .append("-4c6e-9a61-00000000")
                    .append(id)
                    .append("</uuid><memory unit='MiB'>2048</memory><currentMemory unit='MiB'>2048</currentMemory>")
                    .append("<vcpu placement='static'>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>")
                    .append("<disk type='volume' device='disk'><source pool='xen-data' volume='")
                    .append(id)
                    .append('_')
                    .append(vm)
                    .append("'/><target dev='vda' bus='virtio'/></disk></devices></domain>\n");
        }
        x.append("  <pool type='dir'><name>xen-data</name><uuid>0b7c1a52-0003-4c6e-9a61-0000000000")
                .append(name.substring(2))
                .append("f</uuid><capacity unit='GiB'>200</capacity><available unit='GiB'>200</available>")
                .append("<target><path>/var/lib/libvirt/images/xen-data</path></target>\n");
        for (String vm : vms) {
            x.append("    <volume type='file'><name>")
                    .append(id(vm))
                    .append('_')
                    .append(vm)
                    .append(
                            "</name><capacity unit='GiB'>10</capacity><target><format type='raw'/></target></volume>\n");
        }
        x.append("  </pool>\n</node>\n");
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, x.toString());
        return file;
    }
}
