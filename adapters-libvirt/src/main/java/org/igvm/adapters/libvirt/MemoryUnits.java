package org.igvm.adapters.libvirt;

import java.util.Locale;

/** libvirt's memory units (its XML says {@code unit='KiB'} and the like) converted to MiB. */
final class MemoryUnits {
    private MemoryUnits() {}

    static long toMiB(long value, String unit) {
        String u = unit == null || unit.isEmpty() ? "kib" : unit.toLowerCase(Locale.ROOT);
        return switch (u) {
            case "b", "bytes" -> value / (1024 * 1024);
            case "k", "kib" -> value / 1024;
            case "kb" -> value * 1000 / (1024 * 1024);
            case "m", "mib" -> value;
            case "mb" -> value * 1000 * 1000 / (1024 * 1024);
            case "g", "gib" -> value * 1024;
            case "gb" -> value * 1000 * 1000 * 1000 / (1024 * 1024);
            case "t", "tib" -> value * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown libvirt memory unit " + unit);
        };
    }
}
