package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * igvm build on the lab: {@code vm4.lab} (10.201.0.14, no hypervisor in the lab's fleet) built
 * from the lab's Debian image with Puppet against the lab's puppetserver, answering SSH with the
 * host keys whose SSHFP records the inventory holds, then deleted; and {@code vm6.lab}, whose OS
 * {@code badsum} has an image that never matches its checksum, leaving nothing behind. Written for
 * the lab's real image and puppetserver; not run until the lab has them.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabBuild {
    private static final String VM = "vm4.lab";
    private static final String ADDRESS = "10.201.0.14";
    private static final String BADSUM = "vm6.lab";
    private static final String SECOND = "vm5.lab";
    private static final String SECOND_ADDRESS = "10.201.0.15";
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
    private Path scannedKnownHosts() throws IOException {
        return scannedKnownHosts(VM, ADDRESS);
    }

    private Path scannedKnownHosts(String name, String address) throws IOException {
        Lab.Proc scan = Lab.run(Duration.ofSeconds(20), "ssh-keyscan", "-t", "rsa,ecdsa,ed25519", address);
        assertThat(scan.exit()).as(scan.err()).isZero();
        Path file = dir.resolve("known_hosts_" + name);
        Files.writeString(
                file,
                scan.out()
                        .lines()
                        .filter(l -> l.startsWith(address + " "))
                        .map(l -> name + l.substring(address.length()))
                        .collect(Collectors.joining("\n", "", "\n")));
        return file;
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
        return guest(knownHosts, VM, ADDRESS, command);
    }

    private Lab.Proc guest(Path knownHosts, String name, String address, String command) {
        return Lab.run(
                Duration.ofSeconds(30),
                "ssh",
                "-F",
                "/dev/null",
                "-i",
                Path.of(System.getProperty("igvm.repo", ".."))
                        .toAbsolutePath()
                        .normalize()
                        .resolve("lab/state/ssh/id_ed25519")
                        .toString(),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "HostKeyAlias=" + name,
                "root@" + address,
                command);
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
        Lab.Result built = igvmShown("build", VM);
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
    }

    @Test
    @Order(2)
    void theBuiltVmIsDeletedAndItsCertificateCleaned() {
        assertThat(igvmShown("stop", "--force", VM).exit()).isZero();
        assertThat(igvmShown("delete", VM).exit()).isZero();
        Lab.Result cleaned = igvmShown("clean-cert", VM, "--ca", "puppet.lab");
        assertThat(cleaned.exit()).as("%s", cleaned).isZero();
        Lab.Result again = igvmShown("clean-cert", VM, "--ca", "puppet.lab");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).contains("nothing to clean");
        for (String hv : HVS) {
            assertThat(Lab.virsh(hv, "list", "--all", "--name").out()).doesNotContain(VM);
            assertThat(Lab.virsh(hv, "vol-list", "xen-data").out()).doesNotContain(VM);
        }
    }

    @Test
    @Order(3)
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
    @Order(4)
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
    }

    @Test
    @Order(5)
    void aPostbootScriptRunsInTheBootedGuestAndIsGoneAfter() throws Exception {
        assertThat(igvmShown("inventory", "set", SECOND, "environment=testing").exit())
                .isZero();
        Path postboot = dir.resolve("postboot.sh");
        Files.writeString(postboot, "#!/bin/sh\nset -e\nhostname > /root/postboot-ran\n");

        Lab.Result r = igvmShown("build", SECOND, "--postboot", postboot.toString());

        assertThat(r.exit()).as("%s", r).isZero();
        Path knownHosts = scannedKnownHosts(SECOND, SECOND_ADDRESS);
        Lab.Proc ran = guest(knownHosts, SECOND, SECOND_ADDRESS, "cat /root/postboot-ran");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out().strip()).isEqualTo(SECOND);
        Lab.Proc gone = guest(knownHosts, SECOND, SECOND_ADDRESS, "test ! -e /buildvm-postboot");
        assertThat(gone.exit()).as("the postboot script is deleted").isZero();

        assertThat(igvmShown("stop", "--force", SECOND).exit()).isZero();
        assertThat(igvmShown("delete", SECOND).exit()).isZero();
        assertThat(igvmShown("clean-cert", SECOND, "--ca", CA).exit()).isZero();
        assertNothingLeftOf(SECOND);
    }
}
