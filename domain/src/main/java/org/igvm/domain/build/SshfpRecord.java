package org.igvm.domain.build;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.igvm.api.OperationFailedException;

/**
 * An SSHFP DNS record's data (RFC 4255, 6594, 7479): {@code ALGORITHM TYPE FINGERPRINT}, with
 * algorithm 1 rsa, 3 ecdsa, 4 ed25519 and fingerprint type 1 sha1, 2 sha256 over the public key's
 * wire-format blob (the base64 part of an OpenSSH {@code .pub} line). This is what the inventory's
 * {@code sshfp} holds, e.g. {@code "4 2 9f86d0…"}.
 */
public record SshfpRecord(int algorithm, int fingerprintType, String fingerprint) {
    @Override
    public String toString() {
        return algorithm + " " + fingerprintType + " " + fingerprint;
    }

    /** Both records (sha1, sha256) of one OpenSSH public key line ({@code ssh-ed25519 AAAA… comment}). */
    public static List<SshfpRecord> of(String publicKeyLine) {
        String[] words = publicKeyLine.strip().split("\\s+");
        if (words.length < 2) {
            throw new OperationFailedException("not an OpenSSH public key: '" + publicKeyLine.strip() + "'");
        }
        int algorithm = algorithm(words[0]);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(words[1]);
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException("the " + words[0] + " public key is not base64: " + e.getMessage());
        }
        // The blob starts with its own key type: a mismatch is a damaged or forged key file.
        String inBlob = typeInBlob(blob);
        if (!words[0].equals(inBlob)) {
            throw new OperationFailedException(
                    "the public key says " + words[0] + " but its data holds a " + inBlob + " key");
        }
        List<SshfpRecord> records = new ArrayList<>();
        records.add(new SshfpRecord(algorithm, 1, hex("SHA-1", blob)));
        records.add(new SshfpRecord(algorithm, 2, hex("SHA-256", blob)));
        return records;
    }

    /** RFC 4255/6594/7479 algorithm numbers. */
    static int algorithm(String keyType) {
        if (keyType.equals("ssh-rsa")) {
            return 1;
        }
        if (keyType.startsWith("ecdsa-sha2-")) {
            return 3;
        }
        if (keyType.equals("ssh-ed25519")) {
            return 4;
        }
        throw new OperationFailedException("no SSHFP algorithm for host key type " + keyType);
    }

    private static String typeInBlob(byte[] blob) {
        if (blob.length < 4) {
            return "(empty)";
        }
        int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
        if (length < 0 || length > blob.length - 4) {
            return "(damaged)";
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    private static String hex(String digest, byte[] blob) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(digest).digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is part of every JDK", e);
        }
    }
}
