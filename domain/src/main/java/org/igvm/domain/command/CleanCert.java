package org.igvm.domain.command;

import java.util.regex.Pattern;
import org.igvm.api.CleanCertRequest;
import org.igvm.api.CleanCertResult;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.build.PuppetCa;
import org.igvm.domain.inventory.ServerObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm clean-cert HOST [--ca CA]}: revokes and deletes the host's Puppet certificate on its
 * CA (the VM's {@code puppet_ca}, or the one named for a host the inventory does not hold). A CA
 * without a certificate for the host is a success.
 */
public final class CleanCert {
    private static final Logger log = LoggerFactory.getLogger(CleanCert.class);
    /** A certificate name as Puppet allows it (and safe to show). */
    static final Pattern CERTNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

    private final CommandEnvironment env;
    private final BuildSettings settings;

    public CleanCert(CommandEnvironment env, BuildSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    public CleanCertResult run(CleanCertRequest request) {
        String host = request.host();
        String certname;
        String ca = request.ca();
        if (ca == null) {
            ServerObject vm = vm(host);
            certname = vm.hostname();
            ca = vm.string("puppet_ca");
            if (ca == null || ca.isBlank()) {
                throw new InvalidInputException(certname + " has no puppet_ca in the inventory; name the CA with --ca");
            }
        } else {
            // With the CA named, the certificate is named exactly: no short names.
            certname = host;
        }
        if (!CERTNAME.matcher(certname).matches()) {
            throw new InvalidInputException(
                    "invalid certificate name '" + certname + "': letters, digits, dots, dashes and underscores only");
        }
        CleanCertResult result =
                new PuppetCa(env.shells(), ca, settings.caRetries(), settings.caBackoff()).clean(certname);
        log.info(
                "{}: certificate {} on {}",
                certname,
                result.cleaned() ? "revoked and deleted" : "not there, nothing to clean",
                ca);
        return result;
    }

    private ServerObject vm(String host) {
        try {
            return env.lookup().vm(host);
        } catch (NotFoundException e) {
            throw new NotFoundException(
                    e.getMessage() + "; for a host that is not in the inventory, name its CA" + " with --ca");
        }
    }
}
