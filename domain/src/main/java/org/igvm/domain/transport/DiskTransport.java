package org.igvm.domain.transport;

/**
 * Moves a disk between hypervisors; one instance per migration. Whatever it set up is torn down
 * when it returns or fails, and the source volume is never changed.
 */
public interface DiskTransport {
    /** Copies the disk and verifies the copy; fails with an {@link org.igvm.api.IgvmException}. */
    void copy(DiskCopy copy, TransportProgress progress);
}
