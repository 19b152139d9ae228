package org.igvm.domain.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The changes a commit makes to one existing object, attribute by attribute. */
public record ObjectChange(long objectId, Map<String, AttributeUpdate> updates) {
    public ObjectChange {
        updates = Collections.unmodifiableMap(new LinkedHashMap<>(updates));
    }

    /** A change of one attribute from {@code oldValue} to {@code newValue}. */
    public static ObjectChange set(long objectId, String attribute, Object oldValue, Object newValue) {
        Map<String, AttributeUpdate> m = new LinkedHashMap<>();
        m.put(attribute, new AttributeUpdate.Set(oldValue, newValue));
        return new ObjectChange(objectId, m);
    }

    /** This change plus one more attribute update. */
    public ObjectChange and(String attribute, Object oldValue, Object newValue) {
        Map<String, AttributeUpdate> m = new LinkedHashMap<>(updates);
        m.put(attribute, new AttributeUpdate.Set(oldValue, newValue));
        return new ObjectChange(objectId, m);
    }
}
