package org.igvm.domain.lock;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The inventory's datetime form for {@code igvm_locked}: {@code 2026-11-26 03:20:00+0000} (UTC). */
final class LockTimestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssZ").withZone(ZoneOffset.UTC);

    private LockTimestamps() {}

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Null when the text is not a timestamp igvm wrote. */
    static Instant parse(String text) {
        try {
            return java.time.ZonedDateTime.parse(text, FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
