package org.igvm.domain.shell;

import java.util.Optional;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A VM's files, reached where they are (the spec's "mounted" rule): while the VM's disk is mounted
 * on the hypervisor, commands run in a chroot of the mount point on the hypervisor's shell and
 * paths lie under it; otherwise commands run on the VM itself and paths are the VM's own.
 */
public final class VmFiles {
    private final HostShell shell;
    private final String mountPoint;

    private VmFiles(HostShell shell, String mountPoint) {
        this.shell = shell;
        this.mountPoint = mountPoint;
    }

    /** The files of a VM whose disk is mounted at {@code mountPoint} on the hypervisor. */
    public static VmFiles mounted(HostShell hypervisor, String mountPoint) {
        if (!mountPoint.startsWith("/")) {
            throw new InvalidInputException("mount point must be an absolute path, not '" + mountPoint + "'");
        }
        String root = mountPoint.replaceAll("/+$", "");
        return new VmFiles(hypervisor, root.isEmpty() ? "/" : root);
    }

    /** The files of a running VM, reached on the VM itself. */
    public static VmFiles onVm(HostShell vm) {
        return new VmFiles(vm, null);
    }

    /**
     * The rule in one place: mounted when the hypervisor reports a mount point for the VM's disk,
     * else on the VM (whose shell is opened only then).
     */
    public static VmFiles locate(
            Optional<String> mountPoint, HostShellPort shells, String hypervisor, String vmAddress) {
        return mountPoint.map(m -> mounted(shells.open(hypervisor), m)).orElseGet(() -> onVm(shells.open(vmAddress)));
    }

    public boolean isMounted() {
        return mountPoint != null;
    }

    /** The shell commands run on: the hypervisor's when mounted, else the VM's. */
    public HostShell shell() {
        return shell;
    }

    /** Where the VM's {@code path} is on the shell's host. */
    public String path(String vmPath) {
        if (!vmPath.startsWith("/")) {
            throw new InvalidInputException("a path in a VM must be absolute, not '" + vmPath + "'");
        }
        if (mountPoint == null || mountPoint.equals("/")) {
            return vmPath;
        }
        return mountPoint + vmPath;
    }

    /** Runs the command as if on the VM: in a chroot of the mount point, or on the VM itself. */
    public CommandResult run(ShellCommand command) {
        return shell.run(inPlace(command));
    }

    public String check(ShellCommand command) {
        return shell.check(inPlace(command));
    }

    public void put(byte[] content, String vmPath, int mode) {
        shell.put(content, path(vmPath), mode);
    }

    public byte[] get(String vmPath) {
        return shell.get(path(vmPath));
    }

    private ShellCommand inPlace(ShellCommand command) {
        return mountPoint == null ? command : command.inChroot(mountPoint);
    }
}
