package org.igvm.domain.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * Fresh SSH host keys for a new VM, made with {@code ssh-keygen} on the hypervisor into the
 * mounted root's {@code /etc/ssh} (the image's keys, if any, removed first: every VM has its own),
 * with their public lines and SSHFP records.
 */
public final class SshHostKeys {
    /** The key types every VM gets, in the order their records are listed. */
    public static final List<String> TYPES = List.of("rsa", "ecdsa", "ed25519");

    private final List<String> publicKeys;

    private SshHostKeys(List<String> publicKeys) {
        this.publicKeys = List.copyOf(publicKeys);
    }

    /** Generates the keys under {@code root/etc/ssh} on the hypervisor's shell. */
    public static SshHostKeys generate(HostShell hypervisor, String root, String hostname) {
        String dir = root + "/etc/ssh";
        hypervisor.check(ShellCommand.format("mkdir -p {} && rm -f {}/ssh_host_*", dir, dir));
        List<String> keys = new ArrayList<>();
        for (String type : TYPES) {
            String file = dir + "/ssh_host_" + type + "_key";
            hypervisor.check(
                    ShellCommand.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "root@" + hostname, "-f", file));
            keys.add(new String(hypervisor.get(file + ".pub"), StandardCharsets.UTF_8).strip());
        }
        return new SshHostKeys(keys);
    }

    /** The public keys as OpenSSH writes them ({@code ssh-ed25519 AAAA… root@host}). */
    public List<String> publicKeys() {
        return publicKeys;
    }

    /** The SSHFP records of every key: sha1 and sha256 of each, in {@link #TYPES} order. */
    public List<String> sshfp() {
        List<String> records = new ArrayList<>();
        for (String key : publicKeys) {
            SshfpRecord.of(key).forEach(r -> records.add(r.toString()));
        }
        return records;
    }
}
