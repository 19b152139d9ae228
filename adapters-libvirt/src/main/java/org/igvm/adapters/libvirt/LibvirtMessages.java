package org.igvm.adapters.libvirt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.LibvirtException;

/** libvirt's own words for a failure, for the operator-facing sentence. */
final class LibvirtMessages {
    /**
     * How libvirt reports a tunnel (ssh) that died: the tunnel's own stderr, then the errno of
     * libvirt's read from the dead pipe, e.g. "Cannot recv data: ssh: Could not resolve hostname
     * hv01: Name or service not known: Connection reset by peer". The reset is a consequence; the
     * tunnel's words are the cause.
     */
    private static final Pattern DEAD_TUNNEL = Pattern.compile(
            "(?s)^(?:Cannot recv data|End of file while reading data): (.+?)\\s*: (?:Connection reset by peer"
                    + "|Input/output error|Broken pipe)$");

    private LibvirtMessages() {}

    static String reason(LibvirtException e) {
        return reason(e.getError() != null ? e.getError().getMessage() : e.getMessage());
    }

    /** The cause in one line: a dead tunnel's own error instead of libvirt's read error after it. */
    static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "unknown libvirt error";
        }
        String text = message.trim();
        Matcher m = DEAD_TUNNEL.matcher(text);
        if (m.matches() && !m.group(1).isBlank()) {
            text = m.group(1).trim();
        }
        return text.replaceAll("\\s*\\R\\s*", "; ");
    }
}
