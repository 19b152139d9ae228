package org.igvm.domain.spi.hypervisor;

/** libvirt's domain states. */
public enum DomainState {
    NOSTATE,
    RUNNING,
    BLOCKED,
    PAUSED,
    SHUTDOWN,
    SHUTOFF,
    CRASHED,
    PMSUSPENDED;

    /** Whether a QEMU process exists for the domain (anything but shut off or crashed). */
    public boolean isActive() {
        return this != SHUTOFF && this != CRASHED && this != NOSTATE;
    }
}
