package org.igvm.domain.inventory;

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
