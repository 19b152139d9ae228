package org.igvm.adapters.libvirt;

import org.libvirt.LibvirtException;

/** libvirt's own words for a failure, for the operator-facing sentence. */
final class LibvirtMessages {
    private LibvirtMessages() {}

    static String reason(LibvirtException e) {
        String message = e.getError() != null ? e.getError().getMessage() : e.getMessage();
        return message == null || message.isBlank() ? "unknown libvirt error" : message.trim();
    }
}
