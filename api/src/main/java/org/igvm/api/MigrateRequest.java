package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#migrate} does: the original's {@code vm_migrate(vm_hostname,
 * hypervisor_hostname=None, run_puppet=False, debug_puppet=False, offline=False,
 * disk_transport=..., ignore_reserved=False)} and the options of {@code igvm migrate}.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param hypervisorQuery a hypervisor hostname (pins it) or a query merged into placement's filter;
 *     null for placement's choice
 * @param offline shut the VM down for the move (a VM that is not running always moves offline)
 * @param diskTransport the transport's name; null for the default ({@code qemu} online, {@code
 *     drbd} offline)
 * @param runPuppet run Puppet on the target disk before the VM starts there (offline only)
 * @param debugPuppet run that Puppet with debug output
 * @param ignoreReserved also consider hypervisors in state {@code online_reserved}
 * @param noShutdown offline: wait (up to 24 hours) for the operator to shut the VM down instead of
 *     shutting it down
 * @param enforceVmEnvironment only hypervisors of the VM's environment
 * @param softPreferences a preference scoring 0 ranks a hypervisor lower instead of excluding it
 * @param dryRun decide and report the plan ({@link MigrationResult#plan()}), change nothing
 * @param bandwidthLimit the copy's cap in bytes per second; 0 for none
 * @param verify verify the copy before the source is touched (the default)
 * @param progress where the migration reports its progress
 */
public record MigrateRequest(
        String vm,
        String hypervisorQuery,
        boolean offline,
        String diskTransport,
        boolean runPuppet,
        boolean debugPuppet,
        boolean ignoreReserved,
        boolean noShutdown,
        boolean enforceVmEnvironment,
        boolean softPreferences,
        boolean dryRun,
        long bandwidthLimit,
        boolean verify,
        MigrationProgress progress) {
    public MigrateRequest {
        Objects.requireNonNull(vm, "vm");
        if (bandwidthLimit < 0) {
            throw new InvalidInputException("the bandwidth limit must not be negative: " + bandwidthLimit);
        }
        if (hypervisorQuery != null && hypervisorQuery.isBlank()) {
            hypervisorQuery = null;
        }
        if (diskTransport != null && diskTransport.isBlank()) {
            diskTransport = null;
        }
        progress = progress == null ? MigrationProgress.none() : progress;
    }

    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /** Builds a {@link MigrateRequest}: placement's choice, default transport, verified, uncapped. */
    public static final class Builder {
        private final String vm;
        private String hypervisorQuery;
        private boolean offline;
        private String diskTransport;
        private boolean runPuppet;
        private boolean debugPuppet;
        private boolean ignoreReserved;
        private boolean noShutdown;
        private boolean enforceVmEnvironment;
        private boolean softPreferences;
        private boolean dryRun;
        private long bandwidthLimit;
        private boolean verify = true;
        private MigrationProgress progress = MigrationProgress.none();

        private Builder(String vm) {
            this.vm = vm;
        }

        public Builder hypervisorQuery(String hypervisorQuery) {
            this.hypervisorQuery = hypervisorQuery;
            return this;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public Builder diskTransport(String diskTransport) {
            this.diskTransport = diskTransport;
            return this;
        }

        public Builder runPuppet(boolean runPuppet) {
            this.runPuppet = runPuppet;
            return this;
        }

        public Builder debugPuppet(boolean debugPuppet) {
            this.debugPuppet = debugPuppet;
            return this;
        }

        public Builder ignoreReserved(boolean ignoreReserved) {
            this.ignoreReserved = ignoreReserved;
            return this;
        }

        public Builder noShutdown(boolean noShutdown) {
            this.noShutdown = noShutdown;
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

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** The cap in bytes per second; 0 for none. */
        public Builder bandwidthLimit(long bytesPerSecond) {
            this.bandwidthLimit = bytesPerSecond;
            return this;
        }

        /** The cap as {@code --bwlimit} takes it ({@link ByteRate}); null for none. */
        public Builder bandwidthLimit(String rate) {
            this.bandwidthLimit = rate == null ? 0 : ByteRate.parse(rate);
            return this;
        }

        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        public Builder progress(MigrationProgress progress) {
            this.progress = progress;
            return this;
        }

        public MigrateRequest build() {
            return new MigrateRequest(
                    vm,
                    hypervisorQuery,
                    offline,
                    diskTransport,
                    runPuppet,
                    debugPuppet,
                    ignoreReserved,
                    noShutdown,
                    enforceVmEnvironment,
                    softPreferences,
                    dryRun,
                    bandwidthLimit,
                    verify,
                    progress);
        }
    }
}
