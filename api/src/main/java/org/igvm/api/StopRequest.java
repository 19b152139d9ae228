package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#stop} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param force power off at once instead of shutting down gracefully
 */
public record StopRequest(String vm, boolean force) {
    public StopRequest {
        Objects.requireNonNull(vm, "vm");
    }

    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /** Builds a {@link StopRequest}; every option starts off. */
    public static final class Builder {
        private final String vm;
        private boolean force;

        private Builder(String vm) {
            this.vm = vm;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public StopRequest build() {
            return new StopRequest(vm, force);
        }
    }
}
