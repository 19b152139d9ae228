package org.igvm.domain.build;

import java.time.Duration;
import java.util.regex.Pattern;
import org.igvm.api.CancelledException;
import org.igvm.api.CleanCertResult;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A Puppet CA reached over SSH: {@code puppetserver ca clean --certname HOST} revokes and deletes
 * a host's certificate. A CA that has none for the host says so (puppetserver prints "Could not
 * find files to clean for HOST" and may exit 1): that is a success. A failure that mentions the
 * CRL or a lock is the CA's race with a concurrent signing or revocation, retried with a doubling
 * wait.
 */
public final class PuppetCa {
    /** How a CA says it has nothing for the host (wordings of puppetserver versions). */
    private static final Pattern NOTHING_TO_CLEAN = Pattern.compile(
            "could not find (any )?(files|certificate)|nothing to clean|no certificate|not find .*to clean",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern CRL_RACE = Pattern.compile("\\bcrl\\b|\\block", Pattern.CASE_INSENSITIVE);
    private static final int OUTPUT_SHOWN = 300;

    private final HostShellPort shells;
    private final String ca;
    private final int retries;
    private final Duration backoff;

    public PuppetCa(HostShellPort shells, String ca, int retries, Duration backoff) {
        this.shells = shells;
        this.ca = ca;
        this.retries = retries;
        this.backoff = backoff;
    }

    public String host() {
        return ca;
    }

    /** The clean command for the certificate. */
    public static ShellCommand cleanCommand(String certname) {
        return ShellCommand.of("puppetserver", "ca", "clean", "--certname", certname);
    }

    /** Cleans the host's certificate; nothing to clean is a success with {@code cleaned} false. */
    public CleanCertResult clean(String certname) {
        try (HostShell shell = shells.open(ca)) {
            Duration wait = backoff;
            for (int attempt = 1; ; attempt++) {
                CommandResult r = shell.run(cleanCommand(certname));
                String output = r.stdout() + "\n" + r.stderr();
                if (NOTHING_TO_CLEAN.matcher(output).find()) {
                    return new CleanCertResult(certname, ca, false, attempt);
                }
                if (r.succeeded()) {
                    return new CleanCertResult(certname, ca, true, attempt);
                }
                if (attempt > retries || !CRL_RACE.matcher(output).find()) {
                    throw new OperationFailedException("could not clean the Puppet certificate of " + certname
                            + " on " + ca + " (exit " + r.exitStatus()
                            + (attempt > 1 ? ", " + attempt + " attempts" : "")
                            + "): " + shown(output));
                }
                sleep(wait, certname);
                wait = wait.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration wait, String certname) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException(
                    "cancelled while waiting to clean the certificate of " + certname + " on " + ca + " again");
        }
    }

    private static String shown(String output) {
        String line = output.strip().replaceAll("\\s+", " ");
        return line.length() <= OUTPUT_SHOWN ? line : line.substring(0, OUTPUT_SHOWN) + "…";
    }
}
