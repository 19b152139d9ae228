package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code igvm evacuate} on the lab's three real hypervisors (issue 13, "Proof on the lab"): three
 * running sample VMs on hv1 move online (qemu) to hv2 and hv3, two at a time and never two into
 * one target at once; a dry run changes nothing; a migration that fails (its volume name is taken
 * on its target) rolls back while the other two move; Ctrl-C mid-evacuation leaves every VM either
 * back on hv1 and running or wholly moved. Witnesses: virsh on each hypervisor, the inventory,
 * SSH into the guests.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabEvacuate {
    private static final String HV1 = "hv1.lab";
    private static final List<String> TARGETS = List.of("hv2.lab", "hv3.lab");
    private static final List<String> ALL_HVS = List.of("hv1.lab", "hv2.lab", "hv3.lab");
    /** The three VMs: hostname → object id and address. */
    private static final Map<String, String[]> VMS = new LinkedHashMap<>();

    static {
        VMS.put("vm1.lab", new String[] {"5001", "10.201.0.11"});
        VMS.put("vm3.lab", new String[] {"5003", "10.201.0.13"});
        VMS.put("vm5.lab", new String[] {"5005", "10.201.0.15"});
    }

    private final Lab lab = new Lab();

    static String domain(String vm) {
        return VMS.get(vm)[0] + "_" + vm;
    }

    @BeforeAll
    void threeVmsRunOnHv1() throws IOException {
        lab.requireUpAndInCtl();
        assertThat(Files.readString(lab.state.resolve("run/hvcount")).strip())
                .as("this test needs three hypervisors: lab/igvm-lab up --hypervisors 3 (lab/ci-e2e does)")
                .isEqualTo("3");
        lab.resetToSample();
        lab.igvmOk("inventory", "set", "hv3.lab", "state=online");
        // vm5.lab is the fleet's second build subject (512 MiB, 2 GiB); here a sample VM's size.
        lab.igvmOk("inventory", "set", "vm5.lab", "memory=256", "disk_size_gib=1");
        for (String vm : List.of("vm3.lab", "vm5.lab")) {
            Lab.Proc disk = Lab.run(
                    Duration.ofMinutes(1),
                    lab.repo.resolve("lab/igvm-lab").toString(),
                    "sample-vm",
                    VMS.get(vm)[0],
                    vm,
                    VMS.get(vm)[1]);
            assertThat(disk.exit()).as("%s", disk).isZero();
            lab.igvmOk("inventory", "set", vm, "hypervisor=" + HV1);
        }
        for (String vm : VMS.keySet()) {
            lab.igvmOk("define", vm);
        }
        for (String vm : VMS.keySet()) {
            assertThat(lab.awaitSsh(vm, "hostname")).isEqualTo(vm);
        }
    }

    @AfterAll
    void hv3BackToMaintenance() {
        // resetToSample of the next test class imports the fleet afresh (hv3 in maintenance again)
    }

    /** Where each VM's domain is and its state, per hypervisor, as virsh says. */
    Map<String, String> domains() {
        Map<String, String> where = new HashMap<>();
        for (String hv : ALL_HVS) {
            for (String vm : VMS.keySet()) {
                Optional<String> state = Lab.domstate(hv, domain(vm));
                state.ifPresent(s -> where.merge(vm, hv + " " + s, (a, b) -> a + ", " + b));
            }
        }
        return where;
    }

    Map<String, Map<String, String>> inventory() {
        Map<String, Map<String, String>> objects = new LinkedHashMap<>();
        for (String host : List.of("vm1.lab", "vm3.lab", "vm5.lab", "hv1.lab", "hv2.lab", "hv3.lab")) {
            objects.put(host, lab.inventory(host).orElseThrow());
        }
        return objects;
    }

    /** The most migrations at once, overall and into one target, from the evacuation's own progress lines. */
    static int[] mostAtOnce(String stderr) {
        Pattern started = Pattern.compile("^evacuate: (\\S+) -> (\\S+) \\(.*\\) started$");
        Pattern ended = Pattern.compile("^evacuate: (\\S+) (moved|failed|cancelled|not started)\\b.*");
        Map<String, String> targetOf = new HashMap<>();
        Map<String, Integer> incoming = new HashMap<>();
        int running = 0;
        int most = 0;
        int mostIntoOne = 0;
        for (String line : stderr.lines().toList()) {
            Matcher s = started.matcher(line);
            Matcher e = ended.matcher(line);
            if (s.matches()) {
                targetOf.put(s.group(1), s.group(2));
                int now = incoming.merge(s.group(2), 1, Integer::sum);
                mostIntoOne = Math.max(mostIntoOne, now);
                most = Math.max(most, ++running);
            } else if (e.matches() && targetOf.containsKey(e.group(1))) {
                incoming.merge(targetOf.remove(e.group(1)), -1, Integer::sum);
                running--;
            }
        }
        return new int[] {most, mostIntoOne};
    }

    /** Every VM back on hv1 and running, hv1 online again. */
    void backToHv1() {
        lab.igvmOk("inventory", "set", HV1, "state=online");
        for (String vm : VMS.keySet()) {
            String hv = lab.inventory(vm).orElseThrow().get("hypervisor");
            if (!HV1.equals(hv)) {
                lab.igvmOk("migrate", vm, HV1, "--disk-transport", "qemu");
            }
        }
        for (String vm : VMS.keySet()) {
            assertThat(domains()).containsEntry(vm, HV1 + " running");
        }
    }

    @Test
    @Order(1)
    void aDryRunPrintsThePlanAndChangesNothing() {
        Map<String, Map<String, String>> before = inventory();
        Map<String, String> domainsBefore = domains();

        Lab.Result r = lab.igvmOk("evacuate", HV1, "--dry-run", "--parallel", "2");

        System.out.println(r.out());
        assertThat(r.out()).startsWith("evacuation plan for hv1.lab (state online, to become online_reserved):");
        for (String vm : VMS.keySet()) {
            assertThat(r.out()).containsPattern(Pattern.quote(vm) + " -> hv[23]\\.lab \\(online, qemu, 1\\.0 GiB\\)");
        }
        assertThat(r.out()).endsWith("nothing was changed (dry run)\n");
        assertThat(inventory()).isEqualTo(before);
        assertThat(domains()).isEqualTo(domainsBefore);
    }

    @Test
    @Order(2)
    void parallelTwoMovesAllThreeOnlineNeverTwoIntoOneTarget() {
        Lab.Result r = lab.igvmOk("evacuate", HV1, "--parallel", "2");

        System.out.println(r.out() + r.err());
        int[] most = mostAtOnce(r.err());
        assertThat(most[0]).as("two migrations ran at once").isEqualTo(2);
        assertThat(most[1]).as("never two into one target at once").isEqualTo(1);
        Map<String, String> where = domains();
        for (String vm : VMS.keySet()) {
            String hv = lab.inventory(vm).orElseThrow().get("hypervisor");
            assertThat(TARGETS).as(vm).contains(hv);
            assertThat(where)
                    .as(vm + " runs where the inventory says, and only there")
                    .containsEntry(vm, hv + " running");
            assertThat(lab.awaitSsh(vm, "hostname")).isEqualTo(vm);
        }
        assertThat(Lab.virsh(HV1, "list", "--all", "--name").out().strip()).isEmpty();
        assertThat(lab.inventory(HV1).orElseThrow()).containsEntry("state", "online_reserved");
        assertThat(r.out()).containsPattern("vm1\\.lab +hv[23]\\.lab +online +qemu +[0-9.]+ s +[0-9.]+ s +moved");
        backToHv1();
    }

    @Test
    @Order(3)
    void aFailingMigrationRollsBackWhileTheOtherTwoMove() {
        // vm3's planned target already has a volume of vm3's name: its migration fails there.
        Lab.Result plan = lab.igvmOk("evacuate", HV1, "--dry-run", "--json");
        Matcher m = Pattern.compile("\\{[^{}]*\"target\":\"(hv[23]\\.lab)\"[^{}]*\"vm\":\"vm3\\.lab\"}")
                .matcher(plan.out());
        assertThat(m.find()).as(plan.out()).isTrue();
        String target = m.group(1);
        Lab.Proc taken = Lab.virsh(target, "vol-create-as", "xen-data", domain("vm3.lab"), "1M", "--format", "raw");
        assertThat(taken.exit()).as("%s", taken).isZero();
        try {
            Lab.Result r = lab.igvm("evacuate", HV1, "--parallel", "2");

            System.out.println(r.out() + r.err());
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).endsWith("igvm: error: 1 VM(s) did not move off hv1.lab: vm3.lab (see the summary)\n");
            assertThat(r.out()).containsPattern("vm3\\.lab +" + Pattern.quote(target) + " +online +qemu .* +failed: ");
            assertThat(domains()).containsEntry("vm3.lab", HV1 + " running");
            assertThat(lab.inventory("vm3.lab").orElseThrow())
                    .containsEntry("hypervisor", HV1)
                    .containsEntry("state", "online");
            assertThat(lab.awaitSsh("vm3.lab", "hostname")).isEqualTo("vm3.lab");
            for (String vm : List.of("vm1.lab", "vm5.lab")) {
                String hv = lab.inventory(vm).orElseThrow().get("hypervisor");
                assertThat(TARGETS).contains(hv);
                assertThat(domains()).containsEntry(vm, hv + " running");
            }
            assertThat(lab.inventory(HV1).orElseThrow()).containsEntry("state", "online_reserved");
            for (String hv : ALL_HVS) {
                assertThat(lab.inventory(hv).orElseThrow().getOrDefault("igvm_locked", ""))
                        .isEmpty();
            }
        } finally {
            Lab.virsh(target, "vol-delete", domain("vm3.lab"), "--pool", "xen-data");
        }
        backToHv1();
    }

    @Test
    @Order(4)
    void ctrlCMidEvacuationLeavesNothingHalfMoved() throws Exception {
        Map<String, Map<String, String>> before = inventory();

        // Capped at 8 MiB/s, each live migration's memory and disk take tens of seconds.
        InterruptedRun run = InterruptedRun.of(
                l -> l.matches("evacuate: \\S+: transfer"),
                "a live migration runs",
                () -> Optional.of(true),
                "--config",
                lab.config.toString(),
                "evacuate",
                HV1,
                "--parallel",
                "2",
                "--bwlimit",
                "8M");

        System.out.println("Ctrl-C mid-evacuation:\n" + run.output());
        assertThat(run.exit()).as(run.output()).isEqualTo(130);
        assertThat(run.output()).contains("igvm: evacuation of hv1.lab cancelled; not moved: ");
        Map<String, String> where = domains();
        int moved = 0;
        for (String vm : VMS.keySet()) {
            String hv = lab.inventory(vm).orElseThrow().get("hypervisor");
            // Wholly on one hypervisor: the inventory's, running, and on no other.
            assertThat(where).as(vm).containsEntry(vm, hv + " running");
            assertThat(lab.inventory(vm).orElseThrow()).containsEntry("state", "online");
            assertThat(lab.awaitSsh(vm, "hostname")).isEqualTo(vm);
            if (!hv.equals(HV1)) {
                moved++;
            }
        }
        for (String hv : ALL_HVS) {
            assertThat(lab.inventory(hv).orElseThrow().getOrDefault("igvm_locked", ""))
                    .isEmpty();
        }
        if (moved == 0) {
            assertThat(inventory()).as("nothing moved: hv1's state is back too").isEqualTo(before);
        }
        backToHv1();
    }
}
