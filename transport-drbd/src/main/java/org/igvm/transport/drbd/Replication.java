package org.igvm.transport.drbd;

import org.igvm.domain.spi.transport.TransportVolume;

/**
 * One volume's replication from the source to the target: the DRBD resource and the names of what
 * it adds on both hosts ({@code RES_meta} LV, {@code RES_orig} device-mapper device), all derived
 * from the VM's uid name so that two migrations at once never collide.
 */
final class Replication {
    final TransportVolume volume;
    final String resource;
    DrbdSide source;
    DrbdSide target;
    /** The teardown step that takes the target's side down (an offline finish runs it alone). */
    Runnable targetDown;

    Replication(TransportVolume volume, String resource) {
        this.volume = volume;
        this.resource = resource;
    }

    /** The resource name for the VM's uid name ({@code 5001_web01.example.net}) and its n-th volume. */
    static String resourceName(String uidName, int index, int volumes) {
        String base = "igvm_" + uidName.replaceAll("[^A-Za-z0-9_]", "_");
        return volumes > 1 ? base + "_" + index : base;
    }

    String metaLv() {
        return resource + "_meta";
    }

    /** The device-mapper device with the volume's original table, DRBD's disk where the VM's I/O goes through DRBD. */
    String origDevice() {
        return resource + "_orig";
    }

    /** The metadata LV's size: DRBD 8.4's external metadata (a bit per 4 KiB, 32 KiB activity log, 4 KiB superblock) and a MiB to spare. */
    long metaBytes() {
        long mib = 1L << 20;
        long needed = volume.sizeBytes() / 32768 + 36 * 1024 + mib;
        return Math.max(4 * mib, (needed + mib - 1) / mib * mib);
    }
}
