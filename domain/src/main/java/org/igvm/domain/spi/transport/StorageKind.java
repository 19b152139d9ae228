package org.igvm.domain.spi.transport;

/**
 * The kind of volume a transport can move; {@link DiskTransportFactory#storage()} lists those it
 * handles, and the migrate flow refuses a VM whose volumes are of another kind.
 *
 * @since 0.2
 */
public enum StorageKind {
    /**
     * A file in a directory pool (raw or qcow2), read and written as a file.
     *
     * @since 0.2
     */
    FILE,
    /**
     * A logical volume of an LVM pool, a block device that LVM and device-mapper manage (DRBD
     * needs this: it stacks its metadata and device on LVM).
     *
     * @since 0.2
     */
    LVM
}
