package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#cleanCert} does: revoke and delete a host's Puppet certificate on its CA.
 *
 * @param host the certificate's name (the host's full hostname; a VM of the inventory may be named
 *     by a unique short name)
 * @param ca the Puppet CA host to clean it on; null for the VM's {@code puppet_ca} (required for a
 *     host that is not in the inventory)
 * @since 0.4
 */
public record CleanCertRequest(String host, String ca) {
    /**
     * Requires the host; a blank CA means none.
     *
     * @since 0.4
     */
    public CleanCertRequest {
        Objects.requireNonNull(host, "host");
        if (ca != null && ca.isBlank()) {
            ca = null;
        }
    }

    /**
     * The host's certificate, on the CA the inventory names.
     *
     * @since 0.4
     */
    public static CleanCertRequest of(String host) {
        return new CleanCertRequest(host, null);
    }
}
