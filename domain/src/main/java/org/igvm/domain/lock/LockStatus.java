package org.igvm.domain.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * The state of an object's lock: who holds it since when, when its holder's heartbeat was last
 * seen, and why it is stale ({@code staleReason}, null while the lock is fresh). A lock is stale
 * when its heartbeat stopped for longer than the configured age, or its holder, on this machine,
 * is no longer running.
 *
 * @param since when the lock was taken (the last heartbeat when that is not recorded)
 * @param owner the holder, e.g. {@code alice@ops1 pid 4711}; null when not recorded
 * @param heartbeat the last renewal ({@code igvm_locked})
 * @param heartbeatAge how long ago that was
 */
public record LockStatus(
        String hostname,
        boolean locked,
        Instant since,
        String owner,
        Instant heartbeat,
        Duration heartbeatAge,
        String staleReason) {

    static LockStatus free(String hostname) {
        return new LockStatus(hostname, false, null, null, null, null, null);
    }

    public boolean stale() {
        return staleReason != null;
    }

    /** One line for the operator. */
    public String describe() {
        if (!locked) {
            return hostname + " is not locked";
        }
        return hostname + " is " + describeHolder();
    }

    /** "locked by WHO since WHEN, heartbeat seen N s ago (stale: WHY)", without the hostname. */
    public String describeHolder() {
        String seen = heartbeatAge == null
                ? "no readable heartbeat"
                : "heartbeat seen " + Math.max(0, heartbeatAge.toSeconds()) + " s ago";
        return "locked by " + (owner == null ? "an unknown igvm" : owner) + " since "
                + (since == null ? "an unknown time" : LockTimestamps.format(since)) + ", " + seen
                + (stale() ? " (stale: " + staleReason + ")" : "");
    }
}
