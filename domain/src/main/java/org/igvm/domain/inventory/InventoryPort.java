package org.igvm.domain.inventory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The inventory (CMDB), the source of truth for every VM and hypervisor. Implementations are the
 * embedded SQLite/PostgreSQL store and, later, a Serveradmin client. Failures to reach or read the
 * store are {@link org.igvm.api.InventoryException}s.
 */
public interface InventoryPort extends AutoCloseable {
    /** Every object matching all filters of the query, ordered by hostname. */
    List<ServerObject> query(Query query);

    /**
     * Like {@link #query(Query)}, but each object carries only the named attributes (besides
     * object_id, hostname and servertype): a store reads no more than that.
     */
    default List<ServerObject> query(Query query, Collection<String> attributes) {
        return query(query).stream().map(o -> o.only(attributes)).toList();
    }

    /**
     * The objects matching the query as rows of the named (distinct) attributes, ordered by
     * hostname: what {@link #query(Query, Collection)} returns, without a map per object, for a
     * listing of hundreds of thousands of objects.
     *
     * @since issue 9 (inventory at fleet scale)
     */
    default List<AttributeRow> rows(Query query, List<String> attributes) {
        List<AttributeRow> rows = new java.util.ArrayList<>();
        for (ServerObject o : query(query, attributes)) {
            Object[] values = new Object[attributes.size()];
            for (int i = 0; i < values.length; i++) {
                String attribute = attributes.get(i);
                values[i] = attribute.equals("object_id") ? (Object) o.objectId() : o.get(attribute);
            }
            rows.add(new AttributeRow(o.objectId(), o.hostname(), java.util.Arrays.asList(values)));
        }
        return rows;
    }

    /**
     * Counts and sums per group, computed by the store: the objects matching the query, grouped
     * by their values of the (single-valued) {@code groupBy} attributes, with the sums of the
     * {@code summed} integer attributes. E.g. per hypervisor the number of its VMs and Σ memory:
     * {@code totals(servertype=vm, [hypervisor], [memory])}. Groups come in no particular order.
     */
    default List<GroupTotals> totals(Query query, List<String> groupBy, List<String> summed) {
        java.util.Set<String> needed = new java.util.LinkedHashSet<>(groupBy);
        needed.addAll(summed);
        java.util.Map<List<Object>, long[]> groups = new java.util.LinkedHashMap<>();
        for (ServerObject o : query(query, needed)) {
            List<Object> key = new java.util.ArrayList<>(groupBy.size());
            groupBy.forEach(a -> key.add(o.get(a)));
            long[] acc = groups.computeIfAbsent(key, k -> new long[summed.size() + 1]);
            acc[0]++;
            for (int i = 0; i < summed.size(); i++) {
                if (o.get(summed.get(i)) instanceof Long value) {
                    acc[i + 1] += value;
                }
            }
        }
        List<GroupTotals> out = new java.util.ArrayList<>(groups.size());
        groups.forEach((key, acc) -> {
            List<Long> sums = new java.util.ArrayList<>(summed.size());
            for (int i = 1; i < acc.length; i++) {
                sums.add(acc[i]);
            }
            out.add(new GroupTotals(key, acc[0], sums));
        });
        return out;
    }

    /**
     * Per hypervisor and VM state, the number of VMs on it and the sums of their vCPUs, memory and
     * disk ({@link HypervisorLoad}), for every hypervisor that at least one VM names; groups come in
     * no particular order. Exactly what {@code totals(servertype=vm hypervisor=Not(Empty()),
     * [hypervisor, state], [num_cpu, memory, disk_size_gib])} counts, but a store may keep these
     * numbers up to date with every write (the embedded one does, in each commit's transaction), so
     * that placement reads one row per hypervisor instead of every VM's values.
     *
     * @since issue 9 (inventory at fleet scale)
     */
    default List<HypervisorLoad> hypervisorLoads() {
        Query vms = Query.where("servertype", "vm").and("hypervisor", new Filter.Not(new Filter.Empty()));
        List<HypervisorLoad> out = new java.util.ArrayList<>();
        for (GroupTotals g :
                totals(vms, List.of("hypervisor", "state"), List.of("num_cpu", "memory", "disk_size_gib"))) {
            Object state = g.key().get(1);
            out.add(new HypervisorLoad(
                    String.valueOf(g.key().get(0)),
                    state == null ? null : state.toString(),
                    g.count(),
                    g.sum(0),
                    g.sum(1),
                    g.sum(2)));
        }
        return out;
    }

    /**
     * Creates the store if it does not exist yet (an SQLite file, the tables) and brings it up to
     * date; returns whether this call created it. Reads never create a store: on a missing one they
     * fail with an {@link org.igvm.api.InventoryException} that says so. A store that always exists
     * returns false.
     */
    default boolean create() {
        return false;
    }

    /** The object with this id, if it exists. */
    Optional<ServerObject> get(long objectId);

    /**
     * Applies the commit as one transaction and returns its commit id. If any changed or deleted
     * object no longer holds the old values the commit names, nothing is written and a {@link
     * org.igvm.api.ConflictException} (newer data) is thrown. Unknown attributes or values of the
     * wrong type are {@link org.igvm.api.InvalidInputException}s.
     */
    long commit(Commit commit);

    @Override
    void close();
}
