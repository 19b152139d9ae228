package org.igvm.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Igvm#evacuate} does: {@code igvm evacuate HV [HV_QUERY] [--offline [FUNCTION…]]
 * [--ignore-reserved] [--soft-preferences] [--enforce-vm-env] [--dry-run] [--parallel N]
 * [--max-per-target M] [--partial]}.
 *
 * @param hypervisor the hypervisor to empty (a unique short name is enough)
 * @param hypervisorQuery a query merged into placement's filter for every VM; null for none
 * @param offlineAll every VM moves offline ({@code --offline} without values)
 * @param offlineFunctions the VMs whose {@code function} is one of these move offline; the others
 *     online when they run
 * @param onlineTransport the transport of online moves; null for migrate's default ({@code qemu})
 * @param offlineTransport the transport of offline moves; null for migrate's default ({@code drbd})
 * @param parallel how many migrations run at once, at least 1
 * @param maxPerTarget how many migrations go to the same hypervisor at once, at least 1
 * @param partial move the VMs that have room even when some have none
 * @param dryRun decide and report the plan, change nothing (not even the hypervisor's state)
 * @param bandwidthLimit each migration's cap in bytes per second; 0 for none
 * @param progress where the evacuation reports its progress
 */
public record EvacuateRequest(
        String hypervisor,
        String hypervisorQuery,
        boolean offlineAll,
        Set<String> offlineFunctions,
        String onlineTransport,
        String offlineTransport,
        boolean ignoreReserved,
        boolean softPreferences,
        boolean enforceVmEnvironment,
        int parallel,
        int maxPerTarget,
        boolean partial,
        boolean dryRun,
        long bandwidthLimit,
        EvacuationProgress progress) {
    public EvacuateRequest {
        if (bandwidthLimit < 0) {
            throw new InvalidInputException("the bandwidth limit must not be negative: " + bandwidthLimit);
        }
        Objects.requireNonNull(hypervisor, "hypervisor");
        if (parallel < 1) {
            throw new InvalidInputException("--parallel must be at least 1, got " + parallel);
        }
        if (maxPerTarget < 1) {
            throw new InvalidInputException("--max-per-target must be at least 1, got " + maxPerTarget);
        }
        if (hypervisorQuery != null && hypervisorQuery.isBlank()) {
            hypervisorQuery = null;
        }
        offlineFunctions = offlineFunctions == null ? Set.of() : Set.copyOf(offlineFunctions);
        onlineTransport = onlineTransport == null || onlineTransport.isBlank() ? null : onlineTransport;
        offlineTransport = offlineTransport == null || offlineTransport.isBlank() ? null : offlineTransport;
        progress = progress == null ? EvacuationProgress.none() : progress;
    }

    /** Whether a VM of this {@code function} moves offline. */
    public boolean offline(String function) {
        return offlineAll || (function != null && offlineFunctions.contains(function));
    }

    public static Builder builder(String hypervisor) {
        return new Builder(hypervisor);
    }

    /** Builds an {@link EvacuateRequest}: one migration at a time, online where the VM runs. */
    public static final class Builder {
        private final String hypervisor;
        private String hypervisorQuery;
        private boolean offlineAll;
        private Set<String> offlineFunctions = Set.of();
        private String onlineTransport;
        private String offlineTransport;
        private boolean ignoreReserved;
        private boolean softPreferences;
        private boolean enforceVmEnvironment;
        private int parallel = 1;
        private int maxPerTarget = 1;
        private boolean partial;
        private boolean dryRun;
        private long bandwidthLimit;
        private EvacuationProgress progress = EvacuationProgress.none();

        private Builder(String hypervisor) {
            this.hypervisor = hypervisor;
        }

        public Builder hypervisorQuery(String hypervisorQuery) {
            this.hypervisorQuery = hypervisorQuery;
            return this;
        }

        /** {@code --offline} without values: every VM moves offline. */
        public Builder offline() {
            this.offlineAll = true;
            return this;
        }

        /** {@code --offline FUNCTION…}: the VMs of these functions move offline. */
        public Builder offline(List<String> functions) {
            this.offlineFunctions = Set.copyOf(functions);
            return this;
        }

        public Builder onlineTransport(String name) {
            this.onlineTransport = name;
            return this;
        }

        public Builder offlineTransport(String name) {
            this.offlineTransport = name;
            return this;
        }

        public Builder ignoreReserved(boolean ignoreReserved) {
            this.ignoreReserved = ignoreReserved;
            return this;
        }

        public Builder softPreferences(boolean softPreferences) {
            this.softPreferences = softPreferences;
            return this;
        }

        public Builder enforceVmEnvironment(boolean enforceVmEnvironment) {
            this.enforceVmEnvironment = enforceVmEnvironment;
            return this;
        }

        public Builder parallel(int parallel) {
            this.parallel = parallel;
            return this;
        }

        public Builder maxPerTarget(int maxPerTarget) {
            this.maxPerTarget = maxPerTarget;
            return this;
        }

        public Builder partial(boolean partial) {
            this.partial = partial;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Each migration's cap in bytes per second; 0 for none. */
        public Builder bandwidthLimit(long bytesPerSecond) {
            this.bandwidthLimit = bytesPerSecond;
            return this;
        }

        public Builder progress(EvacuationProgress progress) {
            this.progress = progress;
            return this;
        }

        public EvacuateRequest build() {
            return new EvacuateRequest(
                    hypervisor,
                    hypervisorQuery,
                    offlineAll,
                    offlineFunctions,
                    onlineTransport,
                    offlineTransport,
                    ignoreReserved,
                    softPreferences,
                    enforceVmEnvironment,
                    parallel,
                    maxPerTarget,
                    partial,
                    dryRun,
                    bandwidthLimit,
                    progress);
        }
    }
}
