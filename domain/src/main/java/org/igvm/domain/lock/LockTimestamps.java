package org.igvm.domain.lock;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.igvm.domain.inventory.AttributeSchema;

/** {@code igvm_locked} values in the inventory's datetime form, e.g. {@code 2026-11-26 03:20:00+0000}. */
final class LockTimestamps {
    private LockTimestamps() {}

    static String format(Instant instant) {
        return AttributeSchema.timestamp(instant);
    }

    /** Null when the text is not such a timestamp. */
    static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, AttributeSchema.DATETIME_FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
