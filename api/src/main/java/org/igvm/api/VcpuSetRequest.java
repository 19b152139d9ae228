package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#vcpuSet} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param count the new number of vCPUs, or a change of it: {@code 4}, {@code +1}, {@code -2}
 * @param offline shut the VM down, redefine it and start it again (needed to remove vCPUs from a
 *     running VM)
 * @since 0.3
 */
public record VcpuSetRequest(String vm, String count, boolean offline) {
    public VcpuSetRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(count, "count");
    }

    public static Builder builder(String vm, String count) {
        return new Builder(vm, count);
    }

    /** Builds a {@link VcpuSetRequest}; live unless told otherwise. */
    public static final class Builder {
        private final String vm;
        private final String count;
        private boolean offline;

        private Builder(String vm, String count) {
            this.vm = vm;
            this.count = count;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public VcpuSetRequest build() {
            return new VcpuSetRequest(vm, count, offline);
        }
    }
}
