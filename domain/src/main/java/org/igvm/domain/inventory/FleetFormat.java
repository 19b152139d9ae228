package org.igvm.domain.inventory;

import java.io.Reader;
import java.io.Writer;

/**
 * The fleet file: the whole inventory as one document (YAML {@code objects: [...]}), for import
 * and export. A port, so that the document format lives in an adapter.
 */
public interface FleetFormat {
    /**
     * Adds every object of the document in one commit and returns how many; existing objects fail
     * the import unless {@code replace}. A malformed document is an {@link
     * org.igvm.api.InvalidInputException} and changes nothing.
     */
    int importInto(InventoryPort inventory, Reader document, boolean replace);

    /** Writes every object of the inventory and returns how many. */
    int export(InventoryPort inventory, Writer out);
}
