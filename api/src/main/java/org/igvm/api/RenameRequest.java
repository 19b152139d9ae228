package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#rename} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param newHostname the VM's new full hostname ({@code ^[a-z][a-z0-9.-]+$}, held by no object)
 * @param offline the operator's consent to shut the VM down (required)
 * @param debugPuppet run Puppet for the new name with {@code --debug}
 * @since 0.4
 */
public record RenameRequest(String vm, String newHostname, boolean offline, boolean debugPuppet) {
    public RenameRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(newHostname, "newHostname");
    }

    public static Builder builder(String vm, String newHostname) {
        return new Builder(vm, newHostname);
    }

    /** Builds a {@link RenameRequest}; every option starts off. */
    public static final class Builder {
        private final String vm;
        private final String newHostname;
        private boolean offline;
        private boolean debugPuppet;

        private Builder(String vm, String newHostname) {
            this.vm = vm;
            this.newHostname = newHostname;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public Builder debugPuppet(boolean debugPuppet) {
            this.debugPuppet = debugPuppet;
            return this;
        }

        public RenameRequest build() {
            return new RenameRequest(vm, newHostname, offline, debugPuppet);
        }
    }
}
