package org.igvm.adapters.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** A host key as OpenSSH shows it: type and {@code SHA256:} fingerprint, and its known_hosts form. */
record HostKeyFingerprint(String type, String sha256, String base64) {
    static HostKeyFingerprint of(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return new HostKeyFingerprint(
                    KeyType.fromKey(key).toString(),
                    "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest),
                    Base64.getEncoder().encodeToString(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return type + " key " + sha256;
    }
}
