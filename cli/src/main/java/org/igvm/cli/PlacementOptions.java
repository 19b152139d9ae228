package org.igvm.cli;

import picocli.CommandLine.Option;

/**
 * The placement options every command that chooses a hypervisor takes (placement, migrate, and
 * later build and evacuate), as one picocli mixin so their names and help read the same everywhere.
 */
final class PlacementOptions {
    @Option(names = "--ignore-reserved", description = "Also consider hypervisors in state online_reserved.")
    boolean ignoreReserved;

    @Option(names = "--enforce-vm-env", description = "Only hypervisors of the VM's environment.")
    boolean enforceVmEnv;

    @Option(names = "--soft-preferences", description = "A preference scoring 0 ranks lower instead of excluding.")
    boolean softPreferences;
}
