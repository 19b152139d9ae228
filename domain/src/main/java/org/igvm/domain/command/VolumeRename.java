package org.igvm.domain.command;

import java.util.Set;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A volume renamed on its hypervisor, which libvirt cannot do: in a pool of files ({@code dir},
 * {@code fs}, {@code netfs}) the file is moved within its directory, in an LVM pool ({@code
 * logical}) the logical volume is renamed with {@code lvrename}; then the pool is refreshed, so
 * that libvirt lists the volume under its new name.
 */
final class VolumeRename {
    /** Pools whose volumes are files in the pool's directory. */
    static final Set<String> FILE_POOLS = Set.of("dir", "fs", "netfs");

    static final String LVM_POOL = "logical";

    private final CommandEnvironment env;
    private final String hv;
    private final String pool;
    private final long objectId;
    private final VolumeInfo volume;
    private final String newName;
    private final String newPath;
    /** The volume group of an LVM pool; null for a pool of files. */
    private final String volumeGroup;

    private VolumeRename(
            CommandEnvironment env,
            String hv,
            String pool,
            long objectId,
            VolumeInfo volume,
            String newName,
            String newPath,
            String volumeGroup) {
        this.env = env;
        this.hv = hv;
        this.pool = pool;
        this.objectId = objectId;
        this.volume = volume;
        this.newName = newName;
        this.newPath = newPath;
        this.volumeGroup = volumeGroup;
    }

    /**
     * The rename of {@code volume} to {@code newName}, checked before anything changes: the pool
     * must be one igvm can rename in, and nothing may be at the new path yet.
     */
    static VolumeRename plan(
            CommandEnvironment env, String hv, String pool, long objectId, VolumeInfo volume, String newName) {
        String type = env.hypervisors().pool(hv, pool).type();
        String path = volume.path();
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || !path.substring(slash + 1).equals(volume.name())) {
            throw new RefusedException("cannot rename volume " + volume.name() + " on " + hv + ": its path " + path
                    + " does not end in its name");
        }
        String directory = path.substring(0, slash);
        String volumeGroup = null;
        if (LVM_POOL.equals(type)) {
            // libvirt's LVM volumes are /dev/<volume group>/<logical volume>.
            volumeGroup = directory.substring(directory.lastIndexOf('/') + 1);
        } else if (!FILE_POOLS.contains(type)) {
            throw new RefusedException("cannot rename volume " + volume.name() + " in pool " + pool + " on " + hv
                    + ": igvm renames volumes in pools of type "
                    + String.join(", ", FILE_POOLS.stream().sorted().toList()) + " and " + LVM_POOL + ", not " + type);
        }
        String newPath = directory + "/" + newName;
        try (HostShell shell = env.shells().open(hv)) {
            if (shell.run(ShellCommand.of("test", "-e", newPath)).succeeded()) {
                throw new RefusedException(
                        newPath + " already exists on " + hv + "; " + "move it away before renaming to " + newName);
            }
        }
        return new VolumeRename(env, hv, pool, objectId, volume, newName, newPath, volumeGroup);
    }

    /** Where the volume will be: to define the domain on it. */
    VolumeInfo renamed() {
        return new VolumeInfo(newName, newPath, volume.capacityBytes());
    }

    /**
     * Renames the volume and refreshes the pool; {@code op}'s transaction learns first to rename it
     * back (if it was renamed: a killed command may or may not have done it).
     *
     * @return the volume as libvirt lists it now
     */
    VolumeInfo run(RunningOperation op) {
        op.transaction().onRollback("rename volume " + newName + " back to " + volume.name() + " on " + hv, this::back);
        try (HostShell shell = env.shells().open(hv)) {
            shell.check(command(volume.name(), volume.path(), newName, newPath));
        }
        op.checkpoint();
        env.hypervisors().refreshPool(hv, pool);
        op.checkpoint();
        VolumeInfo listed = env.hypervisors()
                .findVolume(hv, pool, objectId)
                .orElseThrow(() -> new OperationFailedException(
                        "pool " + pool + " on " + hv + " lists no volume of " + newName + " after its rename"));
        if (!listed.name().equals(newName)) {
            throw new OperationFailedException("pool " + pool + " on " + hv + " lists the volume as " + listed.name()
                    + " after its rename to " + newName);
        }
        return listed;
    }

    /** The undo: the new name back to the old one, when it is there and the old one is not. */
    private void back() {
        try (HostShell shell = env.shells().open(hv)) {
            boolean renamed = shell.run(ShellCommand.of("test", "-e", newPath)).succeeded()
                    && !shell.run(ShellCommand.of("test", "-e", volume.path())).succeeded();
            if (renamed) {
                shell.check(command(newName, newPath, volume.name(), volume.path()));
            }
        }
        env.hypervisors().refreshPool(hv, pool);
    }

    private ShellCommand command(String fromName, String fromPath, String toName, String toPath) {
        if (volumeGroup != null) {
            return ShellCommand.of("lvrename", volumeGroup, fromName, toName);
        }
        // -n: never replace a file that appeared meanwhile; -T: never move into a directory of that name.
        return ShellCommand.of("mv", "-n", "-T", fromPath, toPath);
    }
}
