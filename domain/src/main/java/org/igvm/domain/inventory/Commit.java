package org.igvm.domain.inventory;

import java.util.List;
import java.util.Map;

/**
 * One all-or-nothing inventory change: objects created (attribute maps; an {@code object_id} in
 * the map is kept, else the inventory assigns one), objects changed with their old values, objects
 * deleted by id.
 */
public record Commit(List<Map<String, Object>> created, List<ObjectChange> changed, List<Long> deleted) {
    public Commit {
        created = List.copyOf(created);
        changed = List.copyOf(changed);
        deleted = List.copyOf(deleted);
    }

    public static Commit of(ObjectChange... changes) {
        return new Commit(List.of(), List.of(changes), List.of());
    }

    public static Commit deleting(long objectId) {
        return new Commit(List.of(), List.of(), List.of(objectId));
    }
}
