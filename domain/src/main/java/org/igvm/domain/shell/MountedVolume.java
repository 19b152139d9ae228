package org.igvm.domain.shell;

import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A stopped VM's volume mounted on its hypervisor, at a fresh temporary mount point: a block
 * device (LVM) directly, a file (directory pool) through a loop device. {@link #close} unmounts it
 * and removes the mount point; closing twice does nothing, so it can be both the normal end and an
 * undo.
 */
public final class MountedVolume implements AutoCloseable {
    private final HostShell hypervisor;
    private final String mountPoint;
    private boolean mounted = true;

    private MountedVolume(HostShell hypervisor, String mountPoint) {
        this.hypervisor = hypervisor;
        this.mountPoint = mountPoint;
    }

    /** Opens a shell on {@code host} and mounts the volume there; the shell is this mount's until closed. */
    public static MountedVolume mount(HostShellPort shells, String host, String volumePath) {
        HostShell hypervisor = shells.open(host);
        try {
            return mount(hypervisor, volumePath);
        } catch (RuntimeException e) {
            hypervisor.close();
            throw e;
        }
    }

    private static MountedVolume mount(HostShell hypervisor, String volumePath) {
        String mountPoint = hypervisor
                .check(ShellCommand.format("mktemp -d /tmp/igvm-mount.XXXXXX"))
                .strip();
        CommandResult r;
        try {
            r = hypervisor.run(ShellCommand.format(
                    "if [ -b {} ]; then mount {} {}; else mount -o loop {} {}; fi",
                    volumePath,
                    volumePath,
                    mountPoint,
                    volumePath,
                    mountPoint));
        } catch (RuntimeException e) {
            // Killed (cancelled) or cut off: whatever the mount did, the mount point must not stay.
            removeQuietly(hypervisor, mountPoint, e);
            throw e;
        }
        if (!r.succeeded()) {
            hypervisor.run(ShellCommand.of("rmdir", mountPoint));
            throw new OperationFailedException("could not mount " + volumePath + " on " + hypervisor.host() + ": "
                    + r.stderr().strip());
        }
        return new MountedVolume(hypervisor, mountPoint);
    }

    private static void removeQuietly(HostShell hypervisor, String mountPoint, RuntimeException failure) {
        boolean interrupted = Thread.interrupted();
        try {
            hypervisor.run(ShellCommand.format(
                    "if mountpoint -q {}; then umount {}; fi; rmdir {}", mountPoint, mountPoint, mountPoint));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public synchronized boolean isMounted() {
        return mounted;
    }

    public String mountPoint() {
        return mountPoint;
    }

    /** The VM's files under the mount point. */
    public VmFiles files() {
        return VmFiles.mounted(hypervisor, mountPoint);
    }

    /** Runs a command on the hypervisor (not in the VM's root): e.g. {@code xfs_growfs MOUNTPOINT}. */
    public String check(ShellCommand command) {
        return hypervisor.check(command);
    }

    @Override
    public synchronized void close() {
        if (!mounted) {
            return;
        }
        try {
            hypervisor.check(ShellCommand.format("umount {} && rmdir {}", mountPoint, mountPoint));
            mounted = false;
        } finally {
            if (!mounted) {
                hypervisor.close();
            }
        }
    }
}
