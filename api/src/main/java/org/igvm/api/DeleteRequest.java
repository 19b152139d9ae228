package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#delete} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param retire keep the VM in the inventory as retired, without a hypervisor, instead of deleting it
 */
public record DeleteRequest(String vm, boolean retire) {
    public DeleteRequest {
        Objects.requireNonNull(vm, "vm");
    }

    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /** Builds a {@link DeleteRequest}; every option starts off. */
    public static final class Builder {
        private final String vm;
        private boolean retire;

        private Builder(String vm) {
            this.vm = vm;
        }

        public Builder retire(boolean retire) {
            this.retire = retire;
            return this;
        }

        public DeleteRequest build() {
            return new DeleteRequest(vm, retire);
        }
    }
}
