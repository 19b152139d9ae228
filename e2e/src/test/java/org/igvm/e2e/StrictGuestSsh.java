package org.igvm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SSH into a built guest the way an operator checks it: the host keys it offers are scanned into a
 * known_hosts file under the VM's name, and every command after that checks them strictly.
 */
final class StrictGuestSsh {
    private StrictGuestSsh() {}

    /** The guest's host keys as it offers them at {@code address} now, in a known_hosts file under {@code alias}. */
    static Path scanKeys(Path dir, String alias, String address) {
        // Right after a build the guest may still be busy (Puppet's first run): ssh-keyscan's own
        // 5 s timeout gave up once in CI on a slow day, so it waits longer and is tried again.
        Lab.Proc scan = Lab.await("ssh-keyscan of " + address, Duration.ofSeconds(120), () -> {
            Lab.Proc p = Lab.run(Duration.ofSeconds(40), "ssh-keyscan", "-T", "30", "-t", "rsa,ecdsa,ed25519", address);
            return p.exit() == 0 && p.out().lines().anyMatch(l -> l.startsWith(address + " "))
                    ? Optional.of(p)
                    : Optional.empty();
        });
        Path file = dir.resolve("known_hosts_" + alias);
        try {
            Files.writeString(
                    file,
                    scan.out()
                            .lines()
                            .filter(l -> l.startsWith(address + " "))
                            .map(l -> alias + l.substring(address.length()))
                            .collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code command} in the guest at {@code address}, its host key checked strictly under {@code alias}. */
    static Lab.Proc run(Path knownHosts, String alias, String address, String command) {
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
                "ConnectTimeout=3",
                "-o",
                "HostKeyAlias=" + alias,
                "root@" + address,
                command);
    }
}
