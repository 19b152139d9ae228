package org.igvm.domain.build;

import java.util.ArrayList;
import java.util.List;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * One {@code puppet agent} run as igvm starts it in a VM's root: once, in the foreground, with
 * detailed exit codes (0 nothing changed, 2 changes applied: both success), against the VM's
 * Puppet server and CA, for its certname and environment.
 *
 * @param binary the Puppet binary inside the root (per guest OS, {@link BuildSettings#puppetBinary})
 * @param server the VM's {@code puppet_master}
 * @param caServer the VM's {@code puppet_ca}
 * @param certname the VM's hostname
 * @param environment the Puppet environment (the VM's {@code environment}); null or empty for the
 *     server's default
 * @param debug add {@code --debug} ({@code --debug-puppet})
 */
public record PuppetAgent(
        String binary, String server, String caServer, String certname, String environment, boolean debug) {
    /** The command line, to be run in a chroot of the root. */
    public ShellCommand command() {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "--onetime",
                "--no-daemonize",
                "--detailed-exitcodes",
                // the chroot has no syslog: without it a failed run would leave igvm nothing to show
                "--logdest",
                "console",
                // its messages end up in igvm's error line: no terminal colour codes there
                "--color",
                "false",
                "--server",
                server,
                "--ca_server",
                caServer,
                "--certname",
                certname));
        if (environment != null && !environment.isEmpty()) {
            args.add("--environment");
            args.add(environment);
        }
        if (debug) {
            args.add("--debug");
        }
        return ShellCommand.of(binary, args.toArray(String[]::new));
    }

    /** Whether an exit status of {@code --detailed-exitcodes} is a success. */
    public static boolean succeeded(int exitStatus) {
        return exitStatus == 0 || exitStatus == 2;
    }
}
