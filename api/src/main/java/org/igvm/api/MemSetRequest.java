package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#memSet} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param size the new memory or a change of it; a bare number is MiB: {@code 4096}, {@code 8G},
 *     {@code +1GiB}, {@code -512M}
 * @param offline shut the VM down, redefine it and start it again (needed to remove memory from a
 *     running VM)
 * @since 0.3
 */
public record MemSetRequest(String vm, String size, boolean offline) {
    public MemSetRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(size, "size");
    }

    public static Builder builder(String vm, String size) {
        return new Builder(vm, size);
    }

    /** Builds a {@link MemSetRequest}; live unless told otherwise. */
    public static final class Builder {
        private final String vm;
        private final String size;
        private boolean offline;

        private Builder(String vm, String size) {
            this.vm = vm;
            this.size = size;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public MemSetRequest build() {
            return new MemSetRequest(vm, size, offline);
        }
    }
}
