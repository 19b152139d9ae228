package org.igvm.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Igvm#build} does: the original's {@code vm_build(vm_hostname, run_puppet=True,
 * debug_puppet=False, postboot=None, ignore_reserved=False)} and the options of {@code igvm build}.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param hypervisorQuery for a VM without a hypervisor in the inventory: a hypervisor hostname (pins
 *     it) or a query merged into placement's filter; null for placement's choice
 * @param runPuppet run Puppet in a chroot of the new root file system (unless the VM's {@code
 *     puppet_disabled} is set); {@code --skip-puppet} is false here
 * @param debugPuppet run that Puppet with {@code --debug}
 * @param postboot a local script copied into the VM and run there once it answers SSH, then
 *     deleted; null for none
 * @param ignoreReserved placement also considers hypervisors in state {@code online_reserved}
 * @param rebuild a stopped VM's existing domain and volume are removed and built anew
 * @param barebones only the volume and the domain definition: no file system, image, Puppet, start
 * @param softPreferences a preference scoring 0 ranks a hypervisor lower instead of excluding it
 * @param enforceVmEnvironment placement only considers hypervisors of the VM's environment
 * @param dryRun decide and report the plan ({@link BuildResult#plan()}), change nothing
 * @since 0.4
 */
public record BuildRequest(
        String vm,
        String hypervisorQuery,
        boolean runPuppet,
        boolean debugPuppet,
        Path postboot,
        boolean ignoreReserved,
        boolean rebuild,
        boolean barebones,
        boolean softPreferences,
        boolean enforceVmEnvironment,
        boolean dryRun) {
    /**
     * Requires the VM; a blank query means none.
     *
     * @since 0.4
     */
    public BuildRequest {
        Objects.requireNonNull(vm, "vm");
        if (hypervisorQuery != null && hypervisorQuery.isBlank()) {
            hypervisorQuery = null;
        }
    }

    /**
     * The original's {@code vm_build} with its parameters and defaults.
     *
     * @since 0.4
     */
    public static BuildRequest vmBuild(
            String vm, boolean runPuppet, boolean debugPuppet, Path postboot, boolean ignoreReserved) {
        return builder(vm)
                .runPuppet(runPuppet)
                .debugPuppet(debugPuppet)
                .postboot(postboot)
                .ignoreReserved(ignoreReserved)
                .build();
    }

    /**
     * A builder with the original's defaults: Puppet runs, no postboot script, reserved
     * hypervisors ignored.
     *
     * @since 0.4
     */
    public static Builder builder(String vm) {
        return new Builder(vm);
    }

    /**
     * Builds a {@link BuildRequest}.
     *
     * @since 0.4
     */
    public static final class Builder {
        private final String vm;
        private String hypervisorQuery;
        private boolean runPuppet = true;
        private boolean debugPuppet;
        private Path postboot;
        private boolean ignoreReserved;
        private boolean rebuild;
        private boolean barebones;
        private boolean softPreferences;
        private boolean enforceVmEnvironment;
        private boolean dryRun;

        private Builder(String vm) {
            this.vm = vm;
        }

        /** @since 0.4 */
        public Builder hypervisorQuery(String hypervisorQuery) {
            this.hypervisorQuery = hypervisorQuery;
            return this;
        }

        /** @since 0.4 */
        public Builder runPuppet(boolean runPuppet) {
            this.runPuppet = runPuppet;
            return this;
        }

        /** @since 0.4 */
        public Builder debugPuppet(boolean debugPuppet) {
            this.debugPuppet = debugPuppet;
            return this;
        }

        /** @since 0.4 */
        public Builder postboot(Path postboot) {
            this.postboot = postboot;
            return this;
        }

        /** @since 0.4 */
        public Builder ignoreReserved(boolean ignoreReserved) {
            this.ignoreReserved = ignoreReserved;
            return this;
        }

        /** @since 0.4 */
        public Builder rebuild(boolean rebuild) {
            this.rebuild = rebuild;
            return this;
        }

        /** @since 0.4 */
        public Builder barebones(boolean barebones) {
            this.barebones = barebones;
            return this;
        }

        /** @since 0.4 */
        public Builder softPreferences(boolean softPreferences) {
            this.softPreferences = softPreferences;
            return this;
        }

        /** @since 0.4 */
        public Builder enforceVmEnvironment(boolean enforceVmEnvironment) {
            this.enforceVmEnvironment = enforceVmEnvironment;
            return this;
        }

        /** @since 0.4 */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** @since 0.4 */
        public BuildRequest build() {
            return new BuildRequest(
                    vm,
                    hypervisorQuery,
                    runPuppet,
                    debugPuppet,
                    postboot,
                    ignoreReserved,
                    rebuild,
                    barebones,
                    softPreferences,
                    enforceVmEnvironment,
                    dryRun);
        }
    }
}
