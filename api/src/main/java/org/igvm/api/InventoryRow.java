package org.igvm.api;

import java.util.List;

/**
 * One object of {@link Inventory#queryRows}: its id and hostname and the values of the asked
 * attributes in the asked order, each as {@link InventoryObject#get} gives it (null when empty, a
 * list for a multi-valued attribute).
 *
 * @since issue 9 (inventory at fleet scale)
 */
public record InventoryRow(long objectId, String hostname, List<Object> values) {}
