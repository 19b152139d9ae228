package org.igvm.domain.spi.shell;

/** Opens shells on hosts; the adapter decides how (locally, over SSH). */
public interface HostShellPort {
    /** A shell on the host, reused by the operation until closed. */
    HostShell open(String host);
}
