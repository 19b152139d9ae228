package org.igvm.transport.netcat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/** A {@code transports.netcat:} section from a map, parsed as igvm's config file is. */
final class MapTransportConfig implements TransportConfig {
    private final Map<String, String> values;
    private final Set<String> read = new HashSet<>();

    MapTransportConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @Override
    public String transport() {
        return "netcat";
    }

    @Override
    public Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    private String get(String key) {
        read.add(key);
        return values.get(key);
    }

    @Override
    public String string(String key, String defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    public int intValue(String key, int defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    @Override
    public long longValue(String key, long defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Long.parseLong(v);
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Set.of("true", "yes", "on").contains(v);
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        String v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v));
    }

    @Override
    public long size(String key, long defaultBytes) {
        String v = get(key);
        if (v == null) {
            return defaultBytes;
        }
        char unit = Character.toUpperCase(v.charAt(v.length() - 1));
        int shift = "KMGT".indexOf(unit);
        return shift < 0 ? Long.parseLong(v) : Long.parseLong(v.substring(0, v.length() - 1)) << (10 * (shift + 1));
    }

    @Override
    public void rejectUnknown() {
        for (String key : keys()) {
            if (!read.contains(key)) {
                throw new InvalidInputException("config.yaml: unknown key transports.netcat." + key);
            }
        }
    }
}
