package org.igvm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything a build of one VM can leave on the lab, read by witnesses independent of igvm:
 * {@code virsh} on both hypervisors (domains, pool volumes), the machine's mounts and loop devices
 * (the hypervisors share its mount namespace), {@code /tmp}'s mount points, agent and download
 * processes still running, the certificates the lab's CA signed, and the inventory objects of the
 * VM and both hypervisors (attributes and locks).
 */
record BuildLeftovers(
        String domains,
        String volumes,
        String mounts,
        String loopDevices,
        String mountPoints,
        String processes,
        String certificates,
        Map<String, String> vm,
        Map<String, String> hv1,
        Map<String, String> hv2) {
    static final List<String> HVS = List.of("hv1.lab", "hv2.lab");

    static BuildLeftovers of(Lab lab, String vm) {
        return new BuildLeftovers(
                HVS.stream()
                        .map(hv -> hv + ": "
                                + matching(
                                        Lab.virsh(hv, "list", "--all", "--name").out(), vm))
                        .collect(Collectors.joining("; ")),
                HVS.stream()
                        .map(hv -> hv + ": "
                                + matching(Lab.virsh(hv, "vol-list", "xen-data").out(), vm))
                        .collect(Collectors.joining("; ")),
                matching(shell("cat /proc/mounts"), "igvm-mount", vm),
                matching(shell("losetup -a"), vm),
                shell("ls -d /tmp/igvm-mount.* 2>/dev/null || true").strip(),
                shell("pgrep -af 'puppet agent|curl -fsSL' | grep -v pgrep || true")
                        .strip(),
                signedCertificates(lab, vm),
                lab.inventory(vm).orElseThrow(),
                lab.inventory(HVS.get(0)).orElseThrow(),
                lab.inventory(HVS.get(1)).orElseThrow());
    }

    /** The lab CA's signed certificate files for {@code vm} (the CA's state lives under lab/state/run/puppet). */
    private static String signedCertificates(Lab lab, String vm) {
        Path puppet = lab.state.resolve("run/puppet");
        try (Stream<Path> files = Files.walk(puppet)) {
            return files.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals("signed")
                            && p.getFileName().toString().equals(vm + ".pem"))
                    .map(Path::toString)
                    .sorted()
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shell(String script) {
        return Lab.run(Duration.ofSeconds(20), "sh", "-c", script).out();
    }

    private static String matching(String text, String... needles) {
        return text.lines()
                .filter(l -> Stream.of(needles).anyMatch(l::contains))
                .map(String::strip)
                .collect(Collectors.joining(" | "));
    }
}
