package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Placement#plan} considers.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param targetQuery a hypervisor hostname (pins it) or a query merged into the candidate filter;
 *     null for none
 * @param offline the VM would move offline: skip the online-migration checks
 * @param ignoreReserved also consider hypervisors in state {@code online_reserved}
 * @param enforceVmEnvironment only hypervisors of the VM's environment
 * @param softPreferences a preference scoring 0 ranks lower instead of excluding
 */
public record PlacementRequest(
        String vm,
        String targetQuery,
        boolean offline,
        boolean ignoreReserved,
        boolean enforceVmEnvironment,
        boolean softPreferences) {
    public PlacementRequest {
        Objects.requireNonNull(vm, "vm");
    }

    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /** Builds a {@link PlacementRequest}; no target query, every option off. */
    public static final class Builder {
        private final String vm;
        private String targetQuery;
        private boolean offline;
        private boolean ignoreReserved;
        private boolean enforceVmEnvironment;
        private boolean softPreferences;

        private Builder(String vm) {
            this.vm = vm;
        }

        public Builder targetQuery(String targetQuery) {
            this.targetQuery = targetQuery;
            return this;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public Builder ignoreReserved(boolean ignoreReserved) {
            this.ignoreReserved = ignoreReserved;
            return this;
        }

        public Builder enforceVmEnvironment(boolean enforceVmEnvironment) {
            this.enforceVmEnvironment = enforceVmEnvironment;
            return this;
        }

        public Builder softPreferences(boolean softPreferences) {
            this.softPreferences = softPreferences;
            return this;
        }

        public PlacementRequest build() {
            return new PlacementRequest(
                    vm, targetQuery, offline, ignoreReserved, enforceVmEnvironment, softPreferences);
        }
    }
}
