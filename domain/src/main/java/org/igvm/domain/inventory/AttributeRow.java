package org.igvm.domain.inventory;

import java.util.List;

/**
 * One object of a tabular query ({@link InventoryPort#rows}): its id and hostname and the values of
 * the asked attributes in the asked order, each as {@link ServerObject#get} gives it (null when
 * empty, a list for a set); object_id, hostname and servertype may be asked too.
 */
public record AttributeRow(long objectId, String hostname, List<Object> values) {}
