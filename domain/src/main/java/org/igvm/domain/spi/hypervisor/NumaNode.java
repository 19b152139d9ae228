package org.igvm.domain.spi.hypervisor;

/** One NUMA node of a hypervisor: its id, its CPUs as a libvirt cpuset ("0-7,16-23"), its memory. */
public record NumaNode(int id, String cpuset, long memoryMiB) {}
