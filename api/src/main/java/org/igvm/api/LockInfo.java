package org.igvm.api;

import java.time.Instant;

/**
 * The state of an object's lock.
 *
 * @param hostname the object's full hostname
 * @param locked whether any igvm holds it
 * @param since when it was taken; null when not locked or unreadable
 * @param owner who holds it ({@code user@host pid N}); null when not locked or unknown
 * @param stale its holder looks gone
 * @param description one line for the operator
 */
public record LockInfo(
        String hostname, boolean locked, Instant since, String owner, boolean stale, String description) {}
