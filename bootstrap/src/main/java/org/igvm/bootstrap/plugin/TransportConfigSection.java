package org.igvm.bootstrap.plugin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/** A transport's {@code transports.<name>:} section of the YAML config, with the keys read so far. */
public final class TransportConfigSection implements TransportConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final String transport;
    private final Map<String, Object> values;
    private final Set<String> read = new TreeSet<>();

    /**
     * @param source the config file, for messages
     * @param transport the transport's name
     * @param values the section's keys and YAML values
     */
    public TransportConfigSection(String source, String transport, Map<String, Object> values) {
        this.source = source;
        this.transport = transport;
        // YAML gives null for a key without a value; Map.copyOf would refuse it.
        this.values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    @Override
    public String string(String key, String defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Map || v instanceof List) {
            throw wrong(key, "a text value");
        }
        return v.toString();
    }

    @Override
    public int intValue(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(key, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    @Override
    public long longValue(String key, long defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        try {
            return Long.parseLong(v.toString().strip());
        } catch (NumberFormatException e) {
            throw wrong(key, "a whole number");
        }
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw wrong(key, "true or false");
        };
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String text = v.toString().strip();
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw wrong(key, "a duration such as 30s, 5m, 2h or PT30S");
        }
    }

    @Override
    public long size(String key, long defaultBytes) {
        Object v = value(key);
        if (v == null) {
            return defaultBytes;
        }
        Matcher m = SIZE.matcher(v.toString().strip());
        if (!m.matches()) {
            throw wrong(key, "a size such as 4096, 512K, 4M or 1GiB");
        }
        int power = m.group(2) == null ? 0 : "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << (10 * power));
        } catch (ArithmeticException | NumberFormatException e) {
            throw wrong(key, "a size below 8 EiB");
        }
    }

    @Override
    public void rejectUnknown() {
        for (String key : new TreeSet<>(values.keySet())) {
            if (!read.contains(key)) {
                throw new InvalidInputException("unknown setting '" + qualified(key) + "' in " + source
                        + "; known settings of transport " + transport + ": "
                        + (read.isEmpty() ? "none" : String.join(", ", read)));
            }
        }
    }

    private Object value(String key) {
        read.add(key);
        return values.get(key);
    }

    private String qualified(String key) {
        return "transports." + transport + "." + key;
    }

    private InvalidInputException wrong(String key, String expected) {
        return new InvalidInputException("setting '" + qualified(key) + "' in " + source + " must be " + expected
                + ", not '" + values.get(key) + "'");
    }
}
