package org.igvm.domain.transport;

/** Whether the VM keeps running while its disk moves. */
public enum MigrationMode {
    ONLINE,
    OFFLINE
}
