package org.igvm.api;

/**
 * igvm's locks on VMs and hypervisors (spec §2): every operation takes the lock of what it works
 * on and releases it when done; a lock whose holder died stays until it is broken here.
 */
public interface Locks {
    /** The state of the lock on this VM or hypervisor (a unique short name is enough). */
    LockInfo status(String host);

    /**
     * Breaks the lock, after the operator confirmed, and returns what it was. Refuses an object that
     * is not locked, and a lock that is still fresh (its holder alive) unless {@link
     * UnlockRequest#force()}.
     */
    LockInfo unlock(UnlockRequest request);
}
