package org.igvm.bootstrap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.igvm.api.InvalidInputException;

/**
 * One mapping of the YAML configuration, read key by key with types checked, so a typo or a wrong
 * type is one clear line naming the file and the key.
 */
final class ConfigSection {
    private final String source;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new TreeSet<>();

    ConfigSection(String source, String path, Map<String, Object> values) {
        this.source = source;
        this.path = path;
        this.values = values == null ? Map.of() : values;
    }

    String string(String key, String fallback) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            throw wrong(key, "a text value");
        }
        return v.toString();
    }

    long number(String key, long fallback) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw wrong(key, "a whole number");
        }
    }

    /**
     * A whole number of at least 1, for ages, timeouts and intervals: zero or less would make every
     * lock stale or every command time out at once.
     */
    long positive(String key, long fallback) {
        long value = number(key, fallback);
        if (value < 1 && values.get(key) != null) {
            throw invalid(key, "must be a whole number of at least 1, not " + value);
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw wrong(key, "true or false");
        };
    }

    /** A list of text values; a single value counts as a list of one. */
    List<String> list(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof Map) {
            throw wrong(key, "a list of text values");
        }
        if (v instanceof List<?> l) {
            List<String> out = new java.util.ArrayList<>();
            for (Object item : l) {
                if (item == null || item instanceof Map || item instanceof List) {
                    throw wrong(key, "a list of text values");
                }
                out.add(item.toString());
            }
            return out;
        }
        return List.of(v.toString());
    }

    ConfigSection section(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v != null && !(v instanceof Map)) {
            throw wrong(key, "a mapping of settings");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return new ConfigSection(source, qualified(key), map);
    }

    /** Whether the key is there (even with an empty value). */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * A mapping handed on as it is, e.g. a plugin's own section that the plugin checks itself;
     * empty when absent.
     */
    Map<String, Object> mapping(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw wrong(key, "a mapping of settings");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return map;
    }

    /** A mapping of names to text values, e.g. per-hypervisor URIs. */
    Map<String, String> strings(String key) {
        ConfigSection s = section(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : s.keys()) {
            out.put(name, s.string(name, ""));
        }
        return out;
    }

    /** A list of any values (mappings included); null when absent. */
    @SuppressWarnings("unchecked")
    List<Object> items(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw wrong(key, "a list");
        }
        return (List<Object>) v;
    }

    /** A mapping found inside a list, named for messages like a key of this section. */
    ConfigSection child(String name, Map<String, Object> map) {
        return new ConfigSection(source, qualified(name), map);
    }

    /** An error about this section's key, naming the file. */
    InvalidInputException invalid(String key, String reason) {
        return new InvalidInputException("setting '" + qualified(key) + "' in " + source + ": " + reason);
    }

    Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    /** Fails on any key nobody read: an unknown setting is a mistake, not something to ignore. */
    void rejectUnknown(String... known) {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw new InvalidInputException("unknown setting '" + qualified(key) + "' in " + source
                        + "; known settings here: " + String.join(", ", read));
            }
        }
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private InvalidInputException wrong(String key, String expected) {
        return new InvalidInputException("setting '" + qualified(key) + "' in " + source + " must be " + expected
                + ", not '" + values.get(key) + "'");
    }
}
