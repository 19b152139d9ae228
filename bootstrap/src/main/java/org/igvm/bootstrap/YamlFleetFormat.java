package org.igvm.bootstrap;

import java.io.Reader;
import java.io.Writer;
import org.igvm.adapters.inventory.FleetFile;
import org.igvm.domain.inventory.FleetFormat;
import org.igvm.domain.inventory.InventoryPort;

/** The fleet file as YAML, read and written by the inventory adapter's {@link FleetFile}. */
final class YamlFleetFormat implements FleetFormat {
    @Override
    public int importInto(InventoryPort inventory, Reader document, boolean replace) {
        return FleetFile.importInto(inventory, document, replace);
    }

    @Override
    public int export(InventoryPort inventory, Writer out) {
        return FleetFile.export(inventory, out);
    }
}
