package org.igvm.domain.size;

/** A size as the user wrote it: an absolute value or a change relative to the current value. */
public record Size(long value, boolean relative) {
    /** The size in the command's unit, applied to the current value when relative. */
    public long resolve(long current) {
        return relative ? current + value : value;
    }
}
