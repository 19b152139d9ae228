package org.igvm.domain.build;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * Puppet run in a chroot of a VM's root file system mounted on some host (a build's new volume, a
 * migration's target disk): {@code /proc}, {@code /sys} and {@code /dev} bind-mounted into the
 * root, service starts blocked by a {@code /usr/sbin/policy-rc.d} that exits 101 (so packages
 * Puppet installs do not start daemons on the host), the agent run and retried once, and then —
 * always, also on failure or cancellation — the policy file removed and the binds unmounted.
 */
public final class PuppetChrootRun {
    /** What blocks service starts in the chroot (Debian's invoke-rc.d asks it; 101: action forbidden). */
    public static final String POLICY_RC_D = "/usr/sbin/policy-rc.d";

    static final byte[] POLICY =
            "#!/bin/sh\n# written by igvm while Puppet runs in a chroot\nexit 101\n".getBytes(StandardCharsets.UTF_8);
    /** Bound in this order, unbound in the reverse. */
    static final List<String> BINDS = List.of("/proc", "/sys", "/dev");

    static final int ATTEMPTS = 2;
    private static final int OUTPUT_SHOWN = 400;

    private final HostShell host;
    private final String root;
    /** Nothing of the chroot's preparation is left (before it, and after a complete clean-up). */
    private volatile boolean clean = true;

    /** Puppet for the root mounted at {@code root} (absolute, not {@code /}) on {@code host}'s shell. */
    public PuppetChrootRun(HostShell host, String root) {
        if (!root.startsWith("/") || root.replaceAll("/+$", "").isEmpty()) {
            throw new IllegalArgumentException(
                    "a chroot root must be an absolute path other than /, not '" + root + "'");
        }
        this.host = host;
        this.root = root.replaceAll("/+$", "");
    }

    /**
     * Runs the agent (retried once), with the chroot prepared before and cleaned up after; fails
     * with the agent's last output when both runs fail.
     *
     * @param detail receives a line when the first run failed and Puppet runs again
     */
    public void run(PuppetAgent agent, Consumer<String> detail) {
        RuntimeException failure = null;
        try {
            prepare();
            CommandResult last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                last = host.run(agent.command().inChroot(root));
                if (PuppetAgent.succeeded(last.exitStatus())) {
                    return;
                }
                if (attempt < ATTEMPTS) {
                    detail.accept("Puppet exited with " + last.exitStatus() + "; running it once more");
                }
            }
            throw new OperationFailedException("Puppet failed for " + agent.certname() + " on " + host.host()
                    + " (exit " + last.exitStatus() + " twice): " + tail(last));
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                cleanUpKeepingInterrupt();
            } catch (RuntimeException e) {
                // The run's own failure is what the operator needs; the undo tries the clean-up again.
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    private void prepare() {
        clean = false;
        for (String bind : BINDS) {
            String target = root + bind;
            host.check(ShellCommand.format(
                    "mkdir -p {} && if ! mountpoint -q {}; then mount --bind {} {}; fi", target, target, bind, target));
        }
        host.check(ShellCommand.format("mkdir -p {}", root + "/usr/sbin"));
        host.put(POLICY, root + POLICY_RC_D, 0755);
    }

    /**
     * Removes the policy file and unmounts the binds, whatever of them there is; safe to call more
     * than once (the undo of a build calls it again).
     */
    public void cleanUp() {
        if (clean) {
            return;
        }
        RuntimeException first = null;
        try {
            host.check(ShellCommand.of("rm", "-f", root + POLICY_RC_D));
        } catch (RuntimeException e) {
            first = e;
        }
        for (int i = BINDS.size() - 1; i >= 0; i--) {
            String target = root + BINDS.get(i);
            try {
                host.check(ShellCommand.format("if mountpoint -q {}; then umount {}; fi", target, target));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        clean = true;
    }

    /** Cleans up with the interrupt flag cleared meanwhile: a cancelled shell refuses new commands. */
    private void cleanUpKeepingInterrupt() {
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String tail(CommandResult r) {
        String out = (r.stdout().strip() + "\n" + r.stderr().strip()).strip().replaceAll("\\s+", " ");
        return out.length() <= OUTPUT_SHOWN ? out : "…" + out.substring(out.length() - OUTPUT_SHOWN);
    }
}
