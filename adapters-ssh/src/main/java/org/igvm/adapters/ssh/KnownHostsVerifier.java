package org.igvm.adapters.ssh;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a host's key against known_hosts files the way OpenSSH does: a known key passes, a changed
 * key is refused, an unknown key is refused unless the checking is {@code accept-new}, which
 * records it. One instance per connection attempt: it remembers why it refused.
 */
final class KnownHostsVerifier implements RefusingHostKeyVerifier {
    private static final Logger log = LoggerFactory.getLogger(KnownHostsVerifier.class);
    private static final Object RECORDING = new Object();

    private final List<Path> files;
    private final HostKeyChecking checking;
    private final Path recordIn;
    private volatile String refusal;

    KnownHostsVerifier(List<Path> files, HostKeyChecking checking, Path recordIn) {
        this.files = List.copyOf(files);
        this.checking = checking;
        this.recordIn = recordIn;
    }

    /** Why the last key was refused, for the operator; null when none was. */
    @Override
    public String refusal() {
        return refusal;
    }

    static String knownHostsName(String hostname, int port) {
        return port == 22 ? hostname : "[" + hostname + "]:" + port;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String name = knownHostsName(hostname, port);
        HostKeyFingerprint fingerprint = HostKeyFingerprint.of(key);
        KeyType type = KeyType.fromKey(key);
        List<Path> knownIn = new ArrayList<>();
        for (Path file : files) {
            for (OpenSSHKnownHosts.KnownHostEntry entry : entries(file)) {
                try {
                    if (entry.appliesTo(type, name)) {
                        if (entry.verify(key)) {
                            return true;
                        }
                        knownIn.add(file);
                    }
                } catch (IOException e) {
                    log.debug("skipping a known_hosts entry of {}: {}", file, e.getMessage());
                }
            }
        }
        if (!knownIn.isEmpty()) {
            refusal = "the host key of " + name + " has CHANGED (it now offers " + fingerprint
                    + "), which may be an attack; if the host was reinstalled, remove the old key with "
                    + "ssh-keygen -R '" + name + "' -f " + knownIn.get(0);
            return false;
        }
        if (checking == HostKeyChecking.ACCEPT_NEW) {
            record(name, fingerprint);
            return true;
        }
        refusal = "the host key of " + name + " is unknown (" + fingerprint + "); verify it and add it to " + recordIn
                + ", or set ssh.host_key_checking: accept-new";
        return false;
    }

    private void record(String name, HostKeyFingerprint fingerprint) {
        synchronized (RECORDING) {
            try {
                Path parent = recordIn.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                String line = name + " " + fingerprint.type() + " " + fingerprint.base64() + "\n";
                Files.writeString(
                        recordIn,
                        line,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                log.warn("could not record the host key of {} in {}: {}", name, recordIn, e.getMessage());
            }
        }
        log.warn("recorded the new host key of {} ({}) in {}", name, fingerprint, recordIn);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        List<String> algorithms = new ArrayList<>();
        String name = knownHostsName(hostname, port);
        for (Path file : files) {
            for (OpenSSHKnownHosts.KnownHostEntry entry : entries(file)) {
                try {
                    if (entry.appliesTo(name)
                            && !algorithms.contains(entry.getType().toString())) {
                        algorithms.add(entry.getType().toString());
                    }
                } catch (IOException e) {
                    log.debug("skipping a known_hosts entry of {}: {}", file, e.getMessage());
                }
            }
        }
        return algorithms;
    }

    private static List<OpenSSHKnownHosts.KnownHostEntry> entries(Path file) {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        try (Reader in = Files.newBufferedReader(file)) {
            return new OpenSSHKnownHosts(in).entries();
        } catch (IOException e) {
            log.warn("could not read known hosts file {}: {}", file, e.getMessage());
            return List.of();
        }
    }
}
