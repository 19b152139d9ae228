package org.igvm.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One inventory object: its stable id and its attributes, sorted by name. Values are {@code
 * String}, {@code Long}, {@code Boolean}, {@code Double} or a {@code List} for multi-valued
 * attributes; empty attributes are absent.
 */
public record InventoryObject(long objectId, Map<String, Object> attributes) {
    public InventoryObject {
        Map<String, Object> sorted = new TreeMap<>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                sorted.put(k, v instanceof List<?> list ? List.copyOf(list) : v);
            }
        });
        attributes = Collections.unmodifiableMap(sorted);
    }

    public String hostname() {
        return (String) attributes.get("hostname");
    }

    public String servertype() {
        return (String) attributes.get("servertype");
    }

    /** The attribute's value, or null when it is empty. */
    public Object get(String attribute) {
        return "object_id".equals(attribute) ? (Object) objectId : attributes.get(attribute);
    }
}
