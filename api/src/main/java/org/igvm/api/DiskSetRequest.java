package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#diskSet} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param size the new disk size or a growth of it; a bare number is GiB: {@code 20}, {@code +5},
 *     {@code 1T}
 * @since 0.3
 */
public record DiskSetRequest(String vm, String size) {
    public DiskSetRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(size, "size");
    }
}
