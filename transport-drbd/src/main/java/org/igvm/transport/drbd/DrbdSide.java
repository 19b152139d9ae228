package org.igvm.transport.drbd;

import java.util.regex.Pattern;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * One hypervisor's end of one volume's replication: the logical volume, the DRBD minor and port
 * that follow from it (the volume's device-mapper minor; port = base + minor, so two migrations
 * never collide on one host), and the volume's original device-mapper table.
 */
final class DrbdSide {
    /** What the resource file may contain unquoted: DRBD's config syntax has no quoting we rely on. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/+-]+");

    final String role;
    final String hypervisor;
    final HostShell shell;
    final String path;
    final String vg;
    final String lv;
    final long sizeBytes;
    final int minor;
    final int port;
    final String nodeName;
    final String originalTable;
    final int softBlockSize;
    /** Set once the peer has resolved this side's name. */
    String address;

    private DrbdSide(
            String role,
            String hypervisor,
            HostShell shell,
            String path,
            String vg,
            String lv,
            long sizeBytes,
            int minor,
            int port,
            String nodeName,
            String originalTable,
            int softBlockSize) {
        this.role = role;
        this.hypervisor = hypervisor;
        this.shell = shell;
        this.path = path;
        this.vg = vg;
        this.lv = lv;
        this.sizeBytes = sizeBytes;
        this.minor = minor;
        this.port = port;
        this.nodeName = nodeName;
        this.originalTable = originalTable;
        this.softBlockSize = softBlockSize;
    }

    /**
     * Reads the volume at {@code path} on the host, in one command (each one costs a round trip):
     * its LV, minor and size, the node name, the soft block size and the device-mapper table.
     */
    static DrbdSide inspect(String role, String hypervisor, HostShell shell, String path, int portBase) {
        var result = shell.run(ShellCommand.format(
                        "lvs --noheadings --nosuffix --units b --separator '|'"
                                + " -o vg_name,lv_name,lv_size,lv_kernel_minor {} || exit 1;"
                                + " echo ---; uname -n; echo ---; blockdev --getbsz {} || exit 1;"
                                + " echo ---; dmsetup table {} || exit 1",
                        path,
                        path,
                        path)
                .idempotent());
        if (!result.succeeded()) {
            throw new OperationFailedException("the " + role + " volume " + path + " on " + hypervisor
                    + " is not an active logical volume: " + DrbdSession.lastLine(result.stderr()));
        }
        String[] parts = result.stdout().split("(?m)^---$");
        if (parts.length != 4) {
            throw new OperationFailedException("cannot read the volume " + path + " on " + hypervisor + ": "
                    + result.stdout().strip());
        }
        String lvs = parts[0].strip();
        String[] f = lvs.split("\\|");
        if (f.length != 4) {
            throw new OperationFailedException("lvs on " + hypervisor + " printed '" + lvs + "' for " + path);
        }
        int minor;
        long size;
        int bsz;
        try {
            size = Long.parseLong(f[2].strip());
            minor = Integer.parseInt(f[3].strip());
            bsz = Integer.parseInt(parts[2].strip());
        } catch (NumberFormatException e) {
            throw new OperationFailedException("cannot read the volume " + path + " on " + hypervisor + ": "
                    + result.stdout().strip());
        }
        if (minor < 0) {
            throw new OperationFailedException(
                    "the " + role + " volume " + path + " on " + hypervisor + " is not active (no device minor)");
        }
        String node = parts[1].strip();
        String table = parts[3].strip();
        if (table.isEmpty()) {
            throw new OperationFailedException(
                    "the device-mapper table of " + path + " on " + hypervisor + " is empty");
        }
        for (String value : new String[] {node, path, f[0].strip(), f[1].strip()}) {
            plain(value, hypervisor);
        }
        return new DrbdSide(
                role,
                hypervisor,
                shell,
                path,
                f[0].strip(),
                f[1].strip(),
                size,
                minor,
                portBase + minor,
                node,
                table,
                bsz);
    }

    /** The DRBD device of this side. */
    String device() {
        return "/dev/drbd" + minor;
    }

    /** The table that sends the volume's I/O to the DRBD device instead. */
    String drbdTable() {
        return "0 " + (sizeBytes / 512) + " linear " + device() + " 0";
    }

    /** Resolves {@code name} on this host to an IPv4 address (the peer's address as seen from here). */
    String resolve(String name) {
        String out = shell.run(ShellCommand.of("getent", "ahostsv4", name).idempotent())
                .stdout()
                .strip();
        String first = out.isEmpty() ? "" : out.split("\\s+")[0];
        if (!first.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new OperationFailedException(
                    "hypervisor " + hypervisor + " cannot resolve " + name + " to an IPv4 address for DRBD");
        }
        return first;
    }

    @Override
    public String toString() {
        return role + " " + hypervisor + ":" + path;
    }

    static String plain(String value, String host) {
        if (!PLAIN.matcher(value).matches()) {
            throw new OperationFailedException(
                    "cannot write '" + value + "' of " + host + " into a DRBD resource file");
        }
        return value;
    }
}
