package org.igvm.api;

import java.io.Reader;
import java.io.Writer;
import java.util.List;

/**
 * The inventory, the source of truth for VMs and hypervisors, as the {@code igvm inventory}
 * commands use it. Failures to reach the store are {@link InventoryException}s; bad queries,
 * attributes and values are {@link InvalidInputException}s and change nothing.
 */
public interface Inventory {
    /**
     * Creates an empty inventory where the configuration points, if there is none yet; returns
     * whether it created one. Only this and the imports create an inventory: every other call on
     * a missing one fails with an {@link InventoryException} saying it does not exist.
     *
     * @since 0.2
     */
    default boolean init() {
        throw new UnsupportedOperationException("init");
    }

    /**
     * Adds every object of a YAML fleet file ({@code objects: [...]}) in one commit and returns how
     * many there were; with {@link ImportRequest#replace()} existing objects are replaced.
     */
    int importFleet(ImportRequest request);

    /** Adds every object of the YAML fleet document read from {@code fleet}; see {@link #importFleet}. */
    int importFleet(Reader fleet, boolean replace);

    /** Writes the whole inventory as a YAML fleet file and returns how many objects it wrote. */
    int exportFleet(Writer out);

    /** The object with this hostname (a unique short name is enough), with every attribute. */
    InventoryObject show(String host);

    /** Every object matching the query (e.g. {@code "web.* state=online"}), ordered by hostname. */
    List<InventoryObject> query(String query);

    /**
     * Like {@link #query(String)}, but each object carries only the named attributes (besides
     * object_id, hostname and servertype), and the store reads no more than those.
     */
    default List<InventoryObject> query(String query, List<String> attributes) {
        return query(query);
    }

    /**
     * The objects matching the query as rows of the named attributes, in that order, ordered by
     * hostname: the same objects and values as {@link #query(String, List)}, as a table, which the
     * store can read without building a map per object.
     *
     * @since issue 9 (inventory at fleet scale)
     */
    default List<InventoryRow> queryRows(String query, List<String> attributes) {
        List<InventoryRow> rows = new java.util.ArrayList<>();
        for (InventoryObject o : query(query, attributes)) {
            Object[] values = new Object[attributes.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = o.get(attributes.get(i));
            }
            rows.add(new InventoryRow(o.objectId(), o.hostname(), java.util.Arrays.asList(values)));
        }
        return rows;
    }

    /**
     * Changes attributes of one object in one commit and returns the object as it is now. igvm's
     * own lock attributes ({@code igvm_locked}, {@code igvm_locked_by}) and the identity ({@code
     * object_id}, {@code servertype}) are refused, with nothing changed.
     */
    InventoryObject set(SetAttributesRequest request);
}
