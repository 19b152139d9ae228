package org.igvm.transport.drbd;

/**
 * The text of one resource file ({@code /etc/drbd.d/RES.res}), the same on both sides: protocol C,
 * a static resync rate (no slow start), dual-primary only for an online migration (both sides
 * primary while the memory moves), each side's disk the volume (or, where the VM's I/O is to go
 * through DRBD, a copy of its table, {@code RES_orig}) with external metadata on its own LV.
 */
final class DrbdResourceFile {
    private DrbdResourceFile() {}

    static String render(
            String resource,
            String about,
            DrbdSide source,
            String sourceDisk,
            DrbdSide target,
            String targetDisk,
            String metaLv,
            long resyncRateBytes,
            int maxBuffers,
            boolean dualPrimary) {
        StringBuilder b = new StringBuilder();
        b.append("# written by igvm for ").append(about).append("; removed when the migration ends\n");
        b.append("resource ").append(resource).append(" {\n");
        b.append("    net {\n");
        b.append("        protocol C;\n");
        b.append("        max-buffers ").append(maxBuffers).append(";\n");
        if (dualPrimary) {
            b.append("        allow-two-primaries yes;\n");
        }
        b.append("    }\n");
        b.append("    disk {\n");
        b.append("        c-plan-ahead 0;\n");
        b.append("        resync-rate ")
                .append(Math.max(1, resyncRateBytes / 1024))
                .append("K;\n");
        b.append("    }\n");
        side(b, source, sourceDisk, metaLv);
        side(b, target, targetDisk, metaLv);
        b.append("}\n");
        return b.toString();
    }

    private static void side(StringBuilder b, DrbdSide side, String disk, String metaLv) {
        b.append("    on ")
                .append(DrbdSide.plain(side.nodeName, side.hypervisor))
                .append(" {\n");
        b.append("        device    ").append(side.device()).append(";\n");
        b.append("        disk      ")
                .append(DrbdSide.plain(disk, side.hypervisor))
                .append(";\n");
        b.append("        meta-disk /dev/")
                .append(side.vg)
                .append('/')
                .append(DrbdSide.plain(metaLv, side.hypervisor))
                .append(";\n");
        b.append("        address   ")
                .append(DrbdSide.plain(side.address, side.hypervisor))
                .append(':')
                .append(side.port)
                .append(";\n");
        b.append("    }\n");
    }
}
