package org.igvm.domain.spi.hypervisor;

/** A storage volume: its name, path on the hypervisor and size. */
public record VolumeInfo(String name, String path, long capacityBytes) {
    public static final long GIB = 1024L * 1024 * 1024;

    /** The size in whole GiB, rounded down. */
    public long capacityGiB() {
        return capacityBytes / GIB;
    }
}
