package org.igvm.domain.lock;

import java.time.Instant;

/**
 * The state of an object's lock. {@code stale} when the lock is older than the configured age or
 * its holder, on this machine, is no longer running.
 */
public record LockStatus(String hostname, boolean locked, Instant since, String owner, boolean stale) {
    /** One line for the operator. */
    public String describe() {
        if (!locked) {
            return hostname + " is not locked";
        }
        return hostname + " is locked since " + LockTimestamps.format(since) + " by "
                + (owner == null ? "an unknown igvm" : owner) + (stale ? " (stale: its holder looks gone)" : "");
    }
}
