package org.igvm.cli.violation;

import org.igvm.adapters.inventory.FleetFile;
import org.igvm.domain.inventory.InventoryPort;

/**
 * A deliberate violation, only in the test tree: a CLI class that reaches past the API into the
 * domain and an adapter. TestDependencyRule proves its rule catches it.
 */
public final class CliClassUsingDomain {
    private CliClassUsingDomain() {}

    public static int export(InventoryPort inventory) {
        return FleetFile.export(inventory, new java.io.StringWriter());
    }
}
