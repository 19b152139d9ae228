package org.igvm.domain.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One inventory object: its stable id and its attributes. Values are {@code String}, {@code Long},
 * {@code Boolean}, {@code Double}, a {@code List} for multi-valued attributes, or absent/null for
 * empty. Relations (a VM's {@code hypervisor}, a hypervisor's {@code vlan_networks}) hold the
 * related objects' hostnames.
 */
public record ServerObject(long objectId, Map<String, Object> attributes) {
    public ServerObject {
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                copy.put(k, List.copyOf(list));
            } else if (v != null) {
                copy.put(k, v);
            }
        });
        attributes = Collections.unmodifiableMap(copy);
    }

    public String hostname() {
        return string("hostname");
    }

    public String servertype() {
        return string("servertype");
    }

    public String state() {
        return string("state");
    }

    /** The raw value, null when empty. */
    public Object get(String attribute) {
        return attributes.get(attribute);
    }

    public boolean isEmpty(String attribute) {
        Object v = attributes.get(attribute);
        return v == null || (v instanceof List<?> l && l.isEmpty()) || "".equals(v);
    }

    /** The value as text, null when empty. */
    public String string(String attribute) {
        Object v = attributes.get(attribute);
        return v == null || v instanceof List<?> ? null : v.toString();
    }

    /** The value as a whole number, null when empty; a non-numeric value is a data error. */
    public Long integer(String attribute) {
        Object v = attributes.get(attribute);
        if (v == null || "".equals(v)) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("attribute " + attribute + " of " + hostname() + " is not a number: " + v);
        }
    }

    public long integer(String attribute, long fallback) {
        Long v = integer(attribute);
        return v == null ? fallback : v;
    }

    public boolean bool(String attribute) {
        Object v = attributes.get(attribute);
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    /** A multi-valued attribute as text values (a single value becomes a one-element list). */
    public List<String> strings(String attribute) {
        Object v = attributes.get(attribute);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    /** A copy with one attribute replaced (null clears it). */
    public ServerObject with(String attribute, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        if (value == null) {
            copy.remove(attribute);
        } else {
            copy.put(attribute, value);
        }
        return new ServerObject(objectId, copy);
    }

    /** This object with only the named attributes (hostname and servertype stay). */
    public ServerObject only(java.util.Collection<String> names) {
        Map<String, Object> kept = new java.util.LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name.equals("hostname") || name.equals("servertype") || names.contains(name)) {
                kept.put(name, value);
            }
        });
        return new ServerObject(objectId, kept);
    }
}
