package org.igvm.adapters.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.igvm.api.InvalidInputException;

/**
 * Accepts exactly the host keys it was given (OpenSSH public key lines), whatever known_hosts
 * says: for a VM igvm has just made the keys of. Any other key is refused and named.
 */
final class PinnedHostKeysVerifier implements RefusingHostKeyVerifier {
    private final Set<String> blobs;
    private final List<String> algorithms;
    private volatile String refusal;

    PinnedHostKeysVerifier(List<String> publicKeyLines) {
        if (publicKeyLines.isEmpty()) {
            throw new InvalidInputException("pinning host keys needs at least one key");
        }
        List<String> types = new ArrayList<>();
        blobs = publicKeyLines.stream()
                .map(line -> {
                    String[] words = line.strip().split("\\s+");
                    if (words.length < 2) {
                        throw new InvalidInputException("not an OpenSSH public key: '" + line.strip() + "'");
                    }
                    types.add(words[0]);
                    return words[1];
                })
                .collect(Collectors.toUnmodifiableSet());
        algorithms = List.copyOf(types);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        HostKeyFingerprint fingerprint = HostKeyFingerprint.of(key);
        if (blobs.contains(fingerprint.base64())) {
            return true;
        }
        refusal = "the host key of " + KnownHostsVerifier.knownHostsName(hostname, port) + " (" + fingerprint
                + ") is not one of the " + blobs.size() + " keys igvm expects there";
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return algorithms;
    }

    @Override
    public String refusal() {
        return refusal;
    }
}
