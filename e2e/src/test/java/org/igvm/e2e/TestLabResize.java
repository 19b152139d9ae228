package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * vcpu-set, mem-set, disk-set and change-address on the lab's sample VM {@code vm1.lab} (hv1, 1
 * vCPU, 256 MiB, 1 GiB disk), each effect seen inside the guest over SSH as well as by virsh and
 * the inventory. In order: bad input changes nothing; live +1 vCPU, +1 GiB memory, +1 GiB disk;
 * a live decrease is refused; an offline decrease; a stopped VM's disk grown on the hypervisor; a
 * new address in the lab's second guest network.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabResize {
    private static final String VM = "vm1.lab";
    private static final String DOMAIN = "5001_vm1.lab";
    private static final String HV = "hv1.lab";
    private static final String NEW_IP = "10.202.0.11";
    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+) kB");

    private final Lab lab = new Lab();

    @BeforeAll
    void sampleVmRuns() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        lab.igvmOk("define", VM);
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
    }

    private String guest(String command) {
        Lab.Proc p = lab.ssh(VM, command);
        assertThat(p.exit()).as("ssh %s %s: %s", VM, command, p.err()).isZero();
        seen(VM, command, p.out());
        return p.out().strip();
    }

    /** What the guest answered, in the test log: the run's record of the effects. */
    private static void seen(String host, String command, String output) {
        System.out.println("guest " + host + " $ " + command + "\n" + output.strip());
    }

    /** igvm's command line, its output shown in the test log. */
    private Lab.Result igvmShown(String... args) {
        Lab.Result r = lab.igvm(args);
        System.out.println("igvm " + String.join(" ", args) + "\n" + r);
        return r;
    }

    private Lab.Result igvmShownOk(String... args) {
        Lab.Result r = igvmShown(args);
        assertThat(r.exit()).as("igvm %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    private Map<String, String> inventory() {
        return lab.inventory(VM).orElseThrow();
    }

    private long memTotalKiB() {
        Matcher m = MEM_TOTAL.matcher(guest("grep MemTotal /proc/meminfo"));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Size of / in KiB as the guest's df sees it. */
    private long rootKiB(String host, String alias) {
        String df = lab.awaitSshAs(host, alias, "df -P -k /");
        seen(host, "df -P -k /", df);
        return Long.parseLong(
                df.lines().reduce((a, b) -> b).orElseThrow().trim().split("\\s+")[1]);
    }

    private void assertOneLineFailure(Lab.Result r, int exit, String contains) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.errLines()).as("%s", r).singleElement().asString().contains(contains);
    }

    @Test
    @Order(1)
    void badInputIsOneLineAndChangesNothing() {
        Map<String, String> before = inventory();
        String xml = Lab.virsh(HV, "dumpxml", DOMAIN).out();

        assertOneLineFailure(igvmShown("vcpu-set", VM, "0"), 2, "at least 1");
        assertOneLineFailure(igvmShown("vcpu-set", VM, "1000"), 2, "cores");
        assertOneLineFailure(igvmShown("mem-set", VM, "+100M"), 2, "steps of 128 MiB");
        assertOneLineFailure(igvmShown("mem-set", VM, "1.5M"), 2, "not a whole number");
        assertOneLineFailure(igvmShown("disk-set", VM, "-1"), 2, "offline migration");
        assertOneLineFailure(igvmShown("change-address", VM, "10.201.0.11", "--offline"), 2, "already has");
        assertOneLineFailure(igvmShown("change-address", VM, "10.9.9.9", "--offline"), 2, "in no route network");
        assertOneLineFailure(igvmShown("change-address", VM, NEW_IP), 2, "needs --offline");
        // the same value: a warning, exit 0
        Lab.Result same = igvmShownOk("vcpu-set", VM, "1");
        assertThat(same.err()).contains("warning: " + VM + " already has 1 vCPUs; nothing changed");

        assertThat(inventory()).isEqualTo(before);
        assertThat(Lab.virsh(HV, "dumpxml", DOMAIN).out()).isEqualTo(xml);
        assertThat(guest("nproc")).isEqualTo("1");
    }

    @Test
    @Order(2)
    void aLiveVcpuIncreaseShowsInNproc() {
        String bootId = guest("cat /proc/sys/kernel/random/boot_id");

        Lab.Result r = igvmShownOk("vcpu-set", VM, "+1");

        assertThat(r.out()).contains(VM + ": num_cpu 1 -> 2 (live)");
        assertThat(guest("nproc")).isEqualTo("2");
        assertThat(Lab.virsh(HV, "vcpucount", DOMAIN, "--live", "--active")
                        .out()
                        .strip())
                .isEqualTo("2");
        assertThat(inventory()).containsEntry("num_cpu", "2");
        assertThat(guest("cat /proc/sys/kernel/random/boot_id"))
                .as("not rebooted")
                .isEqualTo(bootId);
    }

    @Test
    @Order(3)
    void aLiveVcpuDecreaseIsRefused() {
        Lab.Result r = igvmShown("vcpu-set", VM, "1");

        assertOneLineFailure(r, 7, "needs --offline");
        assertThat(guest("nproc")).isEqualTo("2");
        assertThat(inventory()).containsEntry("num_cpu", "2");
    }

    @Test
    @Order(4)
    void aLiveMemoryIncreaseRaisesMemTotalByAboutOneGib() {
        long before = memTotalKiB();

        Lab.Result r = igvmShown("mem-set", VM, "+1G");

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains(VM + ": memory 256 MiB -> 1280 MiB (live)");
        long grown = memTotalKiB() - before;
        assertThat(grown).as("MemTotal growth in KiB").isBetween(1024L * 1024 * 9 / 10, 1024L * 1024);
        assertThat(Lab.virsh(HV, "dumpxml", DOMAIN).out()).contains("<memory model='dimm'");
        assertThat(inventory()).containsEntry("memory", "1280");
    }

    @Test
    @Order(5)
    void aLiveDiskGrowthShowsInDfAndXfsInfo() {
        long before = rootKiB(VM, VM);

        Lab.Result r = igvmShownOk("disk-set", VM, "+1");

        assertThat(r.out()).contains(VM + ": disk_size_gib 1 GiB -> 2 GiB (live)");
        long after = rootKiB(VM, VM);
        assertThat(after - before).as("df growth in KiB").isBetween(1024L * 1024 * 9 / 10, 1024L * 1024);
        assertThat(guest("xfs_growfs -n /")).containsPattern("data\\s+=\\s+bsize=4096\\s+blocks=524288");
        assertThat(Lab.virsh(HV, "vol-info", "--pool", "xen-data", DOMAIN).out())
                .containsPattern("Capacity:\\s+2\\.00 GiB");
        assertThat(inventory()).containsEntry("disk_size_gib", "2");
    }

    @Test
    @Order(6)
    void anOfflineVcpuDecreaseRestartsTheGuestWithTheNewCount() {
        String bootId = guest("cat /proc/sys/kernel/random/boot_id");

        Lab.Result r = igvmShownOk("vcpu-set", VM, "1", "--offline");

        assertThat(r.out()).contains(VM + ": num_cpu 2 -> 1 (offline)");
        assertThat(lab.awaitSsh(VM, "nproc")).isEqualTo("1");
        assertThat(guest("cat /proc/sys/kernel/random/boot_id")).as("rebooted").isNotEqualTo(bootId);
        // the redefinition keeps the memory the live change gave it, now without modules
        assertThat(memTotalKiB()).isGreaterThan(1024L * 1024);
        assertThat(inventory()).containsEntry("num_cpu", "1").containsEntry("memory", "1280");
    }

    @Test
    @Order(7)
    void aStoppedVmsDiskIsGrownOnTheHypervisor() {
        lab.igvmOk("stop", VM);
        lab.awaitDomstate(HV, DOMAIN, "shut off");

        Lab.Result r = igvmShownOk("disk-set", VM, "3G");

        assertThat(r.out()).contains(VM + ": disk_size_gib 2 GiB -> 3 GiB (stopped)");
        assertThat(Lab.domstate(HV, DOMAIN)).contains("shut off");
        assertThat(Lab.virsh(HV, "vol-info", "--pool", "xen-data", DOMAIN).out())
                .containsPattern("Capacity:\\s+3\\.00 GiB");
        lab.igvmOk("start", VM);
        long size = rootKiB(VM, VM);
        assertThat(size).as("df of / in KiB").isBetween(1024L * 1024 * 29 / 10, 3L * 1024 * 1024);
        assertThat(guest("xfs_growfs -n /")).containsPattern("blocks=786432");
        assertThat(inventory()).containsEntry("disk_size_gib", "3");
    }

    @Test
    @Order(8)
    void changeAddressMovesTheGuestIntoTheSecondNetwork() {
        lab.awaitSsh(VM, "true");

        Lab.Result r = igvmShownOk("change-address", VM, NEW_IP, "--offline");

        assertThat(r.out()).contains(VM + ": intern_ip 10.201.0.11 -> " + NEW_IP + " (offline)");
        assertThat(lab.awaitSshAs(NEW_IP, VM, "hostname")).isEqualTo(VM);
        String ipA = lab.sshAs(NEW_IP, VM, "ip a show eth0").out();
        seen(NEW_IP, "ip a show eth0", ipA);
        assertThat(ipA).contains("inet " + NEW_IP + "/24");
        assertThat(lab.sshAs(NEW_IP, VM, "cat /etc/igvm/ip").out()).isEqualTo(NEW_IP + "/24\n10.202.0.254\n");
        assertThat(lab.ssh(VM, "true").exit())
                .as("nothing answers at the old address")
                .isNotZero();
        assertThat(inventory()).containsEntry("intern_ip", NEW_IP).containsEntry("route_network", "lab-net2");
    }

    @Test
    @Order(9)
    void changeAddressWithMigrateMovesTheGuestToAHypervisorOfItsNewNetwork() {
        // hv1 stops serving lab-net (the next class's reset brings a fresh inventory): the old
        // address 10.201.0.11 is only possible on hv2, so the VM has to move there with it.
        igvmShownOk("inventory", "set", HV, "vlan_networks=lab-net2");
        lab.awaitSshAs(NEW_IP, VM, "true");

        Lab.Result r = igvmShownOk(
                "change-address",
                VM,
                "10.201.0.11",
                "--offline",
                "--migrate",
                "--disk-transport",
                "netcat",
                // pinned: the resized VM is over the lab's allocation preference for hv2
                "--hypervisor-query",
                "hv2.lab");

        assertThat(r.out())
                .contains(VM + ": intern_ip " + NEW_IP + " -> 10.201.0.11 (offline, migrated from " + HV
                        + " to hv2.lab with netcat)");
        assertThat(inventory())
                .containsEntry("hypervisor", "hv2.lab")
                .containsEntry("intern_ip", "10.201.0.11")
                .containsEntry("route_network", "lab-net")
                .containsEntry("state", "online");
        assertThat(Lab.domstate("hv2.lab", DOMAIN)).contains("running");
        assertThat(Lab.domstate(HV, DOMAIN)).as("no domain left on hv1").isEmpty();
        assertThat(lab.volumeFile("hv1", DOMAIN)).as("no volume left on hv1").doesNotExist();
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        assertThat(guest("cat /etc/igvm/ip")).isEqualTo("10.201.0.11/24\n10.201.0.254");
        String ipA = guest("ip a show eth0");
        assertThat(ipA).contains("inet 10.201.0.11/24");
        assertThat(lab.sshAs(NEW_IP, VM, "true").exit())
                .as("nothing answers at the address it had")
                .isNotZero();
    }
}
