package org.igvm.api;

/**
 * What {@link Igvm#cleanCert} did.
 *
 * @param certname the certificate's name
 * @param ca the CA it was cleaned on
 * @param cleaned true when a certificate was revoked and deleted, false when the CA had none
 * @param attempts how many times the CA was asked (more than one after a CRL race)
 * @since 0.4
 */
public record CleanCertResult(String certname, String ca, boolean cleaned, int attempts) {}
