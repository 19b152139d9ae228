package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Locks#unlock} breaks.
 *
 * @param host the locked VM or hypervisor (a unique short name is enough)
 * @param force also break a lock that is still fresh (its holder looks alive)
 */
public record UnlockRequest(String host, boolean force) {
    public UnlockRequest {
        Objects.requireNonNull(host, "host");
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** Builds an {@link UnlockRequest}; only stale locks are broken unless {@link #force}. */
    public static final class Builder {
        private final String host;
        private boolean force;

        private Builder(String host) {
            this.host = host;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public UnlockRequest build() {
            return new UnlockRequest(host, force);
        }
    }
}
