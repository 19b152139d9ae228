package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.igvm.cli.Main;
import org.igvm.domain.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * igvm build on the lab (issue 10): {@code vm4.lab} (10.201.0.14, no hypervisor in the lab's fleet)
 * built from the lab's Debian image with Puppet against the lab's puppetserver and a postboot
 * script, answering SSH with the host keys whose SSHFP records the inventory holds; moved offline
 * with {@code --run-puppet} (issue 12); rebuilt ({@code --rebuild}: refused while running or
 * without the flag; new host keys and a canary file gone after); deleted and its certificate
 * cleaned (twice: the second finds none). Then what must leave nothing behind — an image that
 * never matches its checksum ({@code vm6.lab}, os {@code badsum}), Puppet on an unknown
 * environment — and {@code --barebones}, and two builds on one hypervisor at once that download
 * the image once, one of them with a failing postboot script that leaves nothing of its VM. Every
 * guest boot costs about a minute here, so the tests reuse what the ones before them built.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabBuild {
    private static final String VM = "vm4.lab";
    private static final String ADDRESS = "10.201.0.14";
    private static final String BADSUM = "vm6.lab";
    private static final String SECOND = "vm5.lab";
    private static final String CA = "puppet.lab";
    private static final List<String> HVS = List.of("hv1.lab", "hv2.lab");

    private final Lab lab = new Lab();

    @TempDir
    Path dir;

    @BeforeAll
    void freshLab() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        lab.waitPuppet();
    }

    private Lab.Result igvmShown(String... args) {
        Lab.Result r = lab.igvm(args);
        System.out.println("igvm " + String.join(" ", args) + "\n" + r);
        return r;
    }

    /** The guest's host keys as it offers them, in a known_hosts file under the VM's name. */
    private Path scannedKnownHosts() {
        return StrictGuestSsh.scanKeys(dir, VM, ADDRESS);
    }

    /** SSHFP records of the keys in a known_hosts file, as ssh-keygen computes them. */
    private Set<String> sshfp(Path knownHosts) throws IOException {
        Set<String> records = new TreeSet<>();
        for (String line : Files.readAllLines(knownHosts)) {
            if (line.isBlank()) {
                continue;
            }
            Path pub = dir.resolve("key.pub");
            Files.writeString(pub, line.substring(line.indexOf(' ') + 1) + "\n");
            Lab.Proc r = Lab.run(Duration.ofSeconds(10), "ssh-keygen", "-r", VM, "-f", pub.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            r.out()
                    .lines()
                    .map(l -> l.substring(l.indexOf("SSHFP ") + 6).strip())
                    .forEach(records::add);
        }
        return records;
    }

    /** A command in the guest over SSH, its host key checked strictly against {@code knownHosts}. */
    private Lab.Proc guest(Path knownHosts, String command) {
        return StrictGuestSsh.run(knownHosts, VM, ADDRESS, command);
    }

    private static Set<String> words(String listed) {
        // the inventory shows a set as ["a","b"]
        return Arrays.stream(listed.replaceAll("[\\[\\]\"]", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @Order(1)
    void aBuiltVmAnswersSshWithItsHostnameItsPuppetEnvironmentAndTheRecordedKeys() throws Exception {
        Path postboot = dir.resolve("postboot.sh");
        Files.writeString(postboot, "#!/bin/sh\nset -e\nhostname > /root/postboot-ran\n");
        Lab.Result built = igvmShown("build", VM, "--postboot", postboot.toString());
        assertThat(built.exit()).as("%s", built).isZero();

        Map<String, String> vm = lab.inventory(VM).orElseThrow();
        String hv = vm.get("hypervisor");
        assertThat(HVS).contains(hv);
        long definedOn = HVS.stream()
                .filter(h -> Lab.virsh(h, "list", "--all", "--name").out().contains("_" + VM))
                .count();
        assertThat(definedOn).as("defined on exactly one hypervisor").isEqualTo(1);
        assertThat(vm.get("igvm_locked")).isIn(null, "", "null");

        Path knownHosts = scannedKnownHosts();
        assertThat(words(vm.get("sshfp")))
                .as("the inventory's SSHFP records are the guest's keys")
                .isEqualTo(sshfp(knownHosts));
        Lab.Proc hostname = guest(knownHosts, "hostname");
        assertThat(hostname.exit()).as(hostname.err()).isZero();
        assertThat(hostname.out().strip()).isEqualTo(VM);
        Lab.Proc puppet = guest(knownHosts, "cat /etc/igvm-puppet");
        assertThat(puppet.exit()).as(puppet.err()).isZero();
        assertThat(puppet.out()).contains("environment=testing");
        Lab.Proc ran = guest(knownHosts, "cat /root/postboot-ran");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out().strip())
                .as("the postboot script ran in the booted guest")
                .isEqualTo(VM);
        Lab.Proc gone = guest(knownHosts, "test ! -e /buildvm-postboot");
        assertThat(gone.exit()).as("the postboot script is deleted").isZero();
    }

    @Test
    @Order(2)
    void anOfflineMigrationWithRunPuppetRunsTheAgentOnTheMovedDisk() throws Exception {
        Path knownHosts = scannedKnownHosts();
        String from = lab.inventory(VM).orElseThrow().get("hypervisor");
        String to = HVS.stream().filter(h -> !h.equals(from)).findFirst().orElseThrow();
        // the witness of the Puppet run goes; only an agent run on the moved disk brings it back
        Lab.Proc removed = guest(knownHosts, "rm /etc/igvm-puppet && sync");
        assertThat(removed.exit()).as(removed.err()).isZero();

        Lab.Result moved = igvmShown("migrate", VM, to, "--offline", "--disk-transport", "netcat", "--run-puppet");

        assertThat(moved.exit()).as("%s", moved).isZero();
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", to);
        assertThat(Lab.virsh(from, "list", "--all", "--name").out()).doesNotContain(VM);
        assertThat(Lab.domstate(to, "5004_" + VM)).contains("running");
        Lab.Proc puppet = Lab.await("the guest answering SSH on " + to, Lab.SSH_DEADLINE, () -> {
            Lab.Proc p = guest(knownHosts, "cat /etc/igvm-puppet");
            return p.exit() == 0 ? Optional.of(p) : Optional.empty();
        });
        assertThat(puppet.out())
                .as("the agent ran in the chroot of the moved disk, with the guest's own certificate")
                .contains("environment=testing certname=" + VM);
    }

    @Test
    @Order(3)
    void aRebuildReplacesTheDiskOfAStoppedVmAndIsRefusedForARunningOne() throws Exception {
        // vm4.lab as the tests above leave it: built, moved, running
        Path knownHosts = scannedKnownHosts();
        Set<String> oldKeys = sshfp(knownHosts);
        Lab.Proc canary = guest(knownHosts, "echo before > /root/canary && sync");
        assertThat(canary.exit()).as(canary.err()).isZero();

        Lab.Result existing = igvmShown("build", VM, "--skip-puppet");
        assertThat(existing.exit()).as("%s", existing).isNotZero();
        assertThat(existing.errLines()).hasSize(1);
        assertThat(existing.errLines().get(0)).contains("is running on");
        Lab.Result running = igvmShown("build", VM, "--rebuild", "--skip-puppet");
        assertThat(running.exit()).as("%s", running).isNotZero();
        assertThat(running.errLines()).hasSize(1);
        assertThat(running.errLines().get(0)).contains("a running VM is never rebuilt");

        assertThat(igvmShown("stop", "--force", VM).exit()).isZero();
        Lab.Result stopped = igvmShown("build", VM, "--skip-puppet");
        assertThat(stopped.exit()).as("%s", stopped).isNotZero();
        assertThat(stopped.errLines()).hasSize(1);
        assertThat(stopped.errLines().get(0)).contains("already exists on").contains("--rebuild");

        Lab.Result rebuilt = igvmShown("build", VM, "--rebuild", "--skip-puppet");
        assertThat(rebuilt.exit()).as("%s", rebuilt).isZero();
        long definedOn = HVS.stream()
                .filter(h -> Lab.virsh(h, "list", "--all", "--name").out().contains("_" + VM))
                .count();
        assertThat(definedOn).as("defined on exactly one hypervisor").isEqualTo(1);
        Path newKeys = scannedKnownHosts();
        assertThat(sshfp(newKeys)).as("fresh host keys").doesNotContainAnyElementsOf(oldKeys);
        assertThat(words(lab.inventory(VM).orElseThrow().get("sshfp")))
                .as("the inventory records the new keys")
                .isEqualTo(sshfp(newKeys));
        Lab.Proc gone = guest(newKeys, "hostname && test ! -e /root/canary");
        assertThat(gone.exit()).as("the canary is gone: %s", gone.err()).isZero();
        assertThat(gone.out().strip()).isEqualTo(VM);
    }

    @Test
    @Order(4)
    void theBuiltVmIsDeletedAndItsCertificateCleaned() {
        assertThat(igvmShown("stop", "--force", VM).exit()).isZero();
        // --retire keeps the object for the builds below (a plain delete removes it)
        assertThat(igvmShown("delete", "--retire", VM).exit()).isZero();
        assertThat(igvmShown("inventory", "set", VM, "state=online", "sshfp=").exit())
                .isZero();
        // the certificate of the first build: the rebuild skipped Puppet
        Lab.Result cleaned = igvmShown("clean-cert", VM, "--ca", "puppet.lab");
        assertThat(cleaned.exit()).as("%s", cleaned).isZero();
        Lab.Result again = igvmShown("clean-cert", VM, "--ca", "puppet.lab");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).contains("nothing to clean");
        assertNothingLeftOf(VM);
    }

    @Test
    @Order(5)
    void anImageThatNeverMatchesItsChecksumLeavesNothingBehind() {
        Map<String, String> before = lab.inventory(BADSUM).orElseThrow();

        Lab.Result r = igvmShown("build", BADSUM);

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.errLines()).last().asString().contains("does not match its checksum");
        assertThat(lab.inventory(BADSUM).orElseThrow()).isEqualTo(before);
        for (String hv : HVS) {
            assertThat(Lab.virsh(hv, "list", "--all", "--name").out()).doesNotContain(BADSUM);
            assertThat(Lab.virsh(hv, "vol-list", "xen-data").out()).doesNotContain(BADSUM);
        }
        Lab.Proc mounts = Lab.run(Duration.ofSeconds(10), "sh", "-c", "grep igvm-mount /proc/mounts || true");
        assertThat(mounts.out()).as("no mount left").isEmpty();
    }

    /** Nothing of {@code vm} on any hypervisor, nor a certificate on the CA. */
    private void assertNothingLeftOf(String vm) {
        for (String hv : HVS) {
            assertThat(Lab.virsh(hv, "list", "--all", "--name").out()).doesNotContain(vm);
            assertThat(Lab.virsh(hv, "vol-list", "xen-data").out()).doesNotContain(vm);
        }
        Lab.Proc certificates = lab.ssh(CA, "puppetserver ca list --all");
        assertThat(certificates.exit()).as(certificates.err()).isZero();
        assertThat(certificates.out()).as("the CA's certificates").doesNotContain(vm);
    }

    @Test
    @Order(6)
    void puppetFailingOnAnUnknownEnvironmentLeavesNothingBehind() {
        assertThat(igvmShown("inventory", "set", SECOND, "environment=nosuchenv")
                        .exit())
                .isZero();
        Map<String, String> before = lab.inventory(SECOND).orElseThrow();

        Lab.Result r = igvmShown("build", SECOND);

        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.errLines()).last().asString().contains("Puppet failed for " + SECOND);
        assertThat(lab.inventory(SECOND).orElseThrow()).isEqualTo(before);
        assertNothingLeftOf(SECOND);
        assertThat(igvmShown("inventory", "set", SECOND, "environment=testing").exit())
                .isZero();
    }

    @Test
    @Order(7)
    void aBarebonesBuildMakesOnlyTheVolumeAndTheDomainDefinition() {
        Lab.Result r = igvmShown("build", VM, "--barebones");

        assertThat(r.exit()).as("%s", r).isZero();
        String hv = lab.inventory(VM).orElseThrow().get("hypervisor");
        assertThat(HVS).contains(hv);
        String domain = "5004_" + VM;
        assertThat(Lab.domstate(hv, domain)).as("defined, never started").contains("shut off");
        assertThat(Lab.virsh(hv, "vol-list", "xen-data").out()).contains(domain);
        assertThat(lab.volumeFile(hv, domain)).exists();
        Lab.Proc blank = Lab.run(
                Duration.ofSeconds(10),
                "sh",
                "-c",
                "head -c 1048576 \"$1\" | tr -d '\\0' | wc -c",
                "blank",
                lab.volumeFile(hv, domain).toString());
        assertThat(blank.out().strip())
                .as("no file system, no image: the volume's first MiB is zeros")
                .isEqualTo("0");
        BuildLeftovers after = BuildLeftovers.of(lab, VM);
        assertThat(after.mounts()).isEmpty();
        assertThat(after.loopDevices()).isEmpty();
        assertThat(after.certificates()).as("no Puppet run").isEmpty();

        lab.unbuild(VM);
        assertNothingLeftOf(VM);
    }

    /**
     * Two builds on hv1 at once: the image is downloaded once, and the one whose postboot script
     * fails (after its guest booted and Puppet signed its certificate) leaves nothing of itself
     * behind while the other one completes.
     */
    @Test
    @Order(8)
    void twoBuildsOnOneHypervisorAtOnceDownloadTheImageOnceAndAFailingPostbootLeavesNothingOfItsVm() throws Exception {
        Lab.run(Duration.ofSeconds(10), "sh", "-c", "rm -f /tmp/bookworm-base.tar.gz /tmp/bookworm-base.tar.gz.md5");
        long downloadsBefore = imageDownloads();
        BuildLeftovers before = BuildLeftovers.of(lab, SECOND);
        Path failing = dir.resolve("failing-postboot.sh");
        Files.writeString(failing, "#!/bin/sh\necho failing on purpose >&2\nexit 3\n");
        ChildJvm good = null;
        ChildJvm bad = null;
        try {
            good = ChildJvm.startReadingStderr(
                    Main.class, "--config", lab.config.toString(), "build", VM, "hv1.lab", "--skip-puppet");
            bad = ChildJvm.startReadingStderr(
                    Main.class,
                    "--config",
                    lab.config.toString(),
                    "build",
                    SECOND,
                    "hv1.lab",
                    "--postboot",
                    failing.toString());
            int goodExit = good.waitForExit(Duration.ofMinutes(5));
            String goodOutput = remainingLines(good);
            System.out.println("concurrent build of " + VM + ": exit " + goodExit + "\n" + goodOutput);
            int badExit = bad.waitForExit(Duration.ofMinutes(5));
            String badOutput = remainingLines(bad);
            System.out.println("concurrent build of " + SECOND + ": exit " + badExit + "\n" + badOutput);
            assertThat(goodExit).as(goodOutput).isZero();
            assertThat(badExit).as(badOutput).isNotZero();
            assertThat(badOutput.strip().lines().reduce((first, last) -> last))
                    .as(badOutput)
                    .hasValueSatisfying(l -> assertThat(l).contains("buildvm-postboot"));
        } finally {
            for (ChildJvm build : new ChildJvm[] {good, bad}) {
                if (build != null) {
                    build.close();
                }
            }
        }
        assertThat(imageDownloads() - downloadsBefore)
                .as("the image server served the image once")
                .isEqualTo(1);
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", "hv1.lab");
        assertThat(guest(scannedKnownHosts(), "hostname").out().strip()).isEqualTo(VM);
        assertThat(BuildLeftovers.of(lab, SECOND)).isEqualTo(before);
        assertNothingLeftOf(SECOND);

        lab.unbuild(VM);
        assertNothingLeftOf(VM);
    }

    private static String remainingLines(ChildJvm child) throws InterruptedException {
        StringBuilder lines = new StringBuilder();
        try {
            while (true) {
                lines.append(child.nextLine(Duration.ofSeconds(2))).append('\n');
            }
        } catch (AssertionError endOfOutput) {
            return lines.toString();
        }
    }

    /** GET requests for the Debian image in the lab image server's log. */
    private long imageDownloads() throws IOException {
        return Files.readAllLines(lab.state.resolve("run/http.log")).stream()
                .filter(l -> l.contains("\"GET /bookworm-base.tar.gz "))
                .count();
    }
}
