package org.igvm.domain.spi.hypervisor;

/** A libvirt storage pool's size and free space. */
public record StoragePoolInfo(String name, String type, long capacityBytes, long availableBytes) {}
