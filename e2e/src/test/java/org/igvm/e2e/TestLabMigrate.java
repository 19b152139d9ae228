package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code igvm migrate} on the lab's real hypervisors (issue 12, "Proof on the lab"), driven through
 * the command line in-process ({@code igvm migrate VM [HV_QUERY] [--offline] [--disk-transport
 * NAME] [--dry-run] [--run-puppet] [--json]}) and checked with independent witnesses: virsh on both
 * hypervisors, the pools' files (checksums, allocated blocks), SSH into the guest, the inventory.
 * The sample VM {@code vm1.lab} moves hv1 → hv2 → hv1 → hv2 → hv1; the tests build on each other
 * and run in order.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabMigrate {
    private static final String VM = "vm1.lab";
    private static final String DOMAIN = "5001_vm1.lab";
    private static final String VOLUME = "5001_vm1.lab";
    private static final String HV1 = "hv1.lab";
    private static final String HV2 = "hv2.lab";
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;

    private final Lab lab = new Lab();

    @TempDir
    Path dir;

    @BeforeAll
    void vm1RunsOnHv1() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        if (Lab.domstate(HV1, DOMAIN).isEmpty()) {
            lab.igvmOk("define", VM);
        }
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
    }

    @AfterAll
    void leaveVm1AsDefinedOnHv1() {
        // nothing to undo when every test passed: vm1.lab ends on hv1, running
    }

    // ------------------------------------------------------------------ refusals, nothing changed

    @Test
    @Order(1)
    void dryRunPrintsThePlanAndChangesNothing() {
        Snapshot before = snapshot();

        Lab.Result r = lab.igvmOk("migrate", VM, HV2, "--dry-run");

        assertThat(r.out()).contains(HV2).contains("qemu").containsIgnoringCase("online");
        assertThat(r.out()).as("bytes to move and expected downtime").containsPattern("(?i)bytes|GiB|MiB");
        assertThat(snapshot()).isEqualTo(before);

        Lab.Result json =
                lab.igvmOk("migrate", VM, HV2, "--offline", "--disk-transport", "netcat", "--dry-run", "--json");
        assertThat(json.out().strip())
                .startsWith("{")
                .contains("\"" + HV2 + "\"")
                .contains("netcat");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void onlineWithRunPuppetIsRefused() {
        Snapshot before = snapshot();

        Lab.Result r = lab.igvm("migrate", VM, HV2, "--run-puppet");

        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.errLines()).singleElement().asString().containsIgnoringCase("puppet");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void anOutOfSyncInventoryIsRefused() {
        Snapshot before = snapshot();
        lab.igvmOk("inventory", "set", VM, "memory=512");
        try {
            Lab.Result r = lab.igvm("migrate", VM, HV2);

            assertThat(r.exit()).as("%s", r).isEqualTo(5);
            assertThat(r.errLines()).singleElement().asString().contains("out of sync");
            assertThat(lab.inventory(VM).orElseThrow()).containsEntry("memory", "512");
        } finally {
            lab.igvmOk("inventory", "set", VM, "memory=256");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void theSameHypervisorAndAnUnknownTransportAreRefused() {
        Snapshot before = snapshot();

        Lab.Result same = lab.igvm("migrate", VM, HV1);
        assertThat(same.exit()).as("%s", same).isNotZero();
        assertThat(same.errLines()).singleElement().asString().contains(HV1);

        Lab.Result unknown = lab.igvm("migrate", VM, HV2, "--offline", "--disk-transport", "carrier-pigeon");
        assertThat(unknown.exit()).as("%s", unknown).isNotZero();
        assertThat(unknown.errLines())
                .singleElement()
                .asString()
                .contains("carrier-pigeon")
                .contains("netcat")
                .contains("qemu");
        assertThat(snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ online: qemu

    @Test
    @Order(10)
    void onlineQemuMigrationKeepsTheGuestAnsweringAndBack() {
        onlineMigration(HV1, HV2);
        onlineMigration(HV2, HV1);
    }

    private void onlineMigration(String from, String to) {
        lab.awaitSsh(VM, "true");
        try (GuestProber probe =
                new GuestProber(lab, VM, Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofSeconds(3))) {
            probe.awaitAnswers(3, Lab.SSH_DEADLINE);

            Lab.Result r = lab.igvmOk("migrate", VM, to, "--disk-transport", "qemu");

            probe.awaitAnswers(probe.answers() + 3, Lab.SSH_DEADLINE); // answering on the target too
            probe.stop();
            assertThat(probe.failures())
                    .as("failed SSH probes (every 200 ms) during the migration")
                    .isEmpty();
            List<Double> uptimes = probe.uptimes();
            assertThat(uptimes).as("uptime keeps growing: no reboot").isSorted();
            assertThat(uptimes.get(uptimes.size() - 1)).isGreaterThan(uptimes.get(0));
            assertThat(r.out()).containsIgnoringCase("downtime");
        }
        assertThat(Lab.domstate(to, DOMAIN)).contains("running");
        assertThat(Lab.domstate(from, DOMAIN)).as("no domain left on %s", from).isEmpty();
        assertThat(lab.volumeFile(from, VOLUME))
                .as("no volume left on %s", from)
                .doesNotExist();
        assertThat(Lab.virsh(from, "vol-list", "xen-data").out()).doesNotContain(VOLUME);
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", to);
        assertThat(Lab.virsh(to, "dominfo", DOMAIN).out()).containsPattern("Persistent:\\s+yes");
    }

    // ------------------------------------------------------------------ offline: netcat, sparse

    @Test
    @Order(20)
    void offlineNetcatMovesASparseDiskWithEqualChecksumsAndTheVmRunsOnTheTarget() throws Exception {
        // ~10 % of the 1 GiB disk allocated: 100 MiB of random data in a file of the guest's root fs
        lab.awaitSsh(VM, "true");
        Lab.Proc fill = lab.ssh(VM, "dd if=/dev/urandom of=/fill bs=1M count=100 2>/dev/null && sync && echo ok");
        assertThat(fill.out()).as("%s", fill).contains("ok");
        lab.igvmOk("stop", VM);
        Path source = lab.volumeFile(HV1, VOLUME);
        String sum = sha256(source);
        long allocated = allocatedBytes(source);
        assertThat(allocated).as("about 10 %% allocated").isBetween(100 * MIB, 200 * MIB);

        Lab.Result r = lab.igvmOk("migrate", VM, HV2, "--offline", "--disk-transport", "netcat");

        Path target = lab.volumeFile(HV2, VOLUME);
        assertThat(sha256(target)).as("checksum on hv2").isEqualTo(sum);
        assertThat(Files.size(target)).isEqualTo(GIB);
        assertThat(allocatedBytes(target)).as("arrives sparse").isLessThanOrEqualTo(allocated + 16 * MIB);
        assertThat(Lab.domstate(HV1, DOMAIN)).as("no domain on hv1").isEmpty();
        assertThat(source).as("no volume on hv1").doesNotExist();
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", HV2);
        // The transport compared the checksums itself before igvm touched the source; the witness
        // above compared them again from outside.
        assertThat(r.out()).contains("offline, netcat");
        // it was stopped, so it stays stopped; then it runs on the target
        assertThat(Lab.domstate(HV2, DOMAIN)).contains("shut off");
        lab.igvmOk("start", VM);
        assertThat(Lab.domstate(HV2, DOMAIN)).contains("running");
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        assertThat(lab.awaitSsh(VM, "ls -l /fill")).contains(String.valueOf(100 * MIB));
    }

    // ------------------------------------------------------------------ the third-party jar

    @Test
    @Order(30)
    void aDroppedInTransportJarIsListedAndMigratesTheRunningVmOffline() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        ExamplePluginJar.buildInto(plugins);
        Path config = dir.resolve("igvm-with-plugins.yaml");
        Files.writeString(
                config,
                Files.readString(lab.config) + "\nplugins:\n  dirs: [" + plugins + "]\n" + "transports:\n  "
                        + ExamplePluginJar.NAME + ":\n    level: 3\n");

        Lab.Result listed = lab.igvmWith(config, "transports");
        assertThat(listed.exit()).as("%s", listed).isZero();
        assertThat(listed.out())
                .contains(ExamplePluginJar.NAME)
                .contains(plugins.resolve("zstd-nc-transport.jar").toString())
                .contains("netcat")
                .contains("qemu");
        assertThat(lab.igvmWith(config, "transports", "--json").out()).contains("\"" + ExamplePluginJar.NAME + "\"");

        Lab.Result online = lab.igvmWith(config, "migrate", VM, HV1, "--disk-transport", ExamplePluginJar.NAME);
        assertThat(online.exit()).as("a mode it lacks: %s", online).isNotZero();
        assertThat(online.errLines()).singleElement().asString().containsIgnoringCase("offline");

        String bootBefore = lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id");
        Lab.Result r = lab.igvmWith(config, "migrate", VM, HV1, "--offline", "--disk-transport", ExamplePluginJar.NAME);
        assertThat(r.exit()).as("%s", r).isZero();

        // the flow shut it down, the jar moved the disk, the flow started it on hv1
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
        assertThat(Lab.domstate(HV2, DOMAIN)).as("no domain on hv2").isEmpty();
        assertThat(lab.volumeFile(HV2, VOLUME)).as("no volume on hv2").doesNotExist();
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", HV1);
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        assertThat(lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id")).isNotEqualTo(bootBefore);
        assertThat(lab.awaitSsh(VM, "ls -l /fill")).contains(String.valueOf(100 * MIB));
        assertThat(allocatedBytes(lab.volumeFile(HV1, VOLUME))).as("sparse").isLessThan(300 * MIB);
        assertThat(Lab.run(Duration.ofSeconds(10), "ip", "netns", "exec", "hv1", "ss", "-Hltn")
                        .out())
                .as("no zstd-nc listener (ports 7600..7799) left on hv1")
                .doesNotContainPattern(":7[67]\\d\\d\\s");
    }

    // ------------------------------------------------------------------ witnesses

    /** What a refused or dry migration must leave as it was. */
    record Snapshot(
            Optional<String> onHv1,
            Optional<String> onHv2,
            boolean volumeOnHv1,
            boolean volumeOnHv2,
            String hypervisor,
            String state) {}

    private Snapshot snapshot() {
        var inv = lab.inventory(VM).orElseThrow();
        return new Snapshot(
                Lab.domstate(HV1, DOMAIN),
                Lab.domstate(HV2, DOMAIN),
                Files.exists(lab.volumeFile(HV1, VOLUME)),
                Files.exists(lab.volumeFile(HV2, VOLUME)),
                inv.get("hypervisor"),
                inv.get("state"));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[(int) MIB];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static long allocatedBytes(Path file) {
        String[] f = Lab.run(Duration.ofSeconds(10), "stat", "-c", "%b %B", file.toString())
                .out()
                .strip()
                .split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }
}
