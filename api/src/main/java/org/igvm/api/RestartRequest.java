package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#restart} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param force power off at once instead of shutting down gracefully
 * @param redefine redefine the domain from the inventory between stop and start (the default)
 */
public record RestartRequest(String vm, boolean force, boolean redefine) {
    public RestartRequest {
        Objects.requireNonNull(vm, "vm");
    }

    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /** Builds a {@link RestartRequest}: graceful, redefining, unless told otherwise. */
    public static final class Builder {
        private final String vm;
        private boolean force;
        private boolean redefine = true;

        private Builder(String vm) {
            this.vm = vm;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder redefine(boolean redefine) {
            this.redefine = redefine;
            return this;
        }

        public RestartRequest build() {
            return new RestartRequest(vm, force, redefine);
        }
    }
}
